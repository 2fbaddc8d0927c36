#include "python_objective.hpp"

#include <pybind11/numpy.h>

#include "numpy_views.hpp"
#include "signopt/core/error.hpp"

namespace signopt::python {

PythonObjective::PythonObjective(py::object f, Index dim, Index n_samples,
                                 std::optional<Vector> start, std::optional<double> lower_bound,
                                 std::string name)
    : f_(std::move(f)),
      dim_(dim),
      n_samples_(n_samples),
      start_(std::move(start)),
      lower_bound_(lower_bound),
      name_(std::move(name)) {
  require(dim_ >= 1, "objective '{}': dim must be >= 1, got {}", name_, dim_);
  require(n_samples_ >= 0, "objective '{}': n_samples must be >= 0, got {}", name_, n_samples_);
  require(!start_ || start_->size() == dim_, "objective '{}': x0 has {} entries, expected dim = {}",
          name_, start_ ? start_->size() : 0, dim_);
}

PythonObjective::~PythonObjective() {
  // The last reference may go on a thread without the GIL (a runner's result).
  py::gil_scoped_acquire gil;
  f_ = py::object();
}

double PythonObjective::call(const Vector& x, const py::object& batch, Vector* grad) const {
  require(x.size() == dim_, "objective '{}': x has {} entries, expected {}", name_, x.size(), dim_);
  py::gil_scoped_acquire gil;
  ++calls_;
  // A read-only view of x, valid for this call: the capsule owns nothing.
  py::array_t<double> xv({static_cast<py::ssize_t>(dim_)}, x.data(), py::capsule(&x, [](void*) {}));
  py::detail::array_proxy(xv.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  const py::object out = n_samples_ > 0 ? f_(xv, batch) : f_(xv);
  if (!py::isinstance<py::tuple>(out) || py::len(out) != 2) {
    fail("objective '{}': f must return a tuple (value, gradient), got {}", name_,
         std::string(py::str(py::type::of(out))));
  }
  const auto pair = py::reinterpret_borrow<py::tuple>(out);
  const double value = pair[0].cast<double>();
  if (grad != nullptr) {
    const auto g = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(pair[1]);
    if (!g || g.ndim() != 1 || g.shape(0) != dim_) {
      fail("objective '{}': the gradient f returned must be a 1-D array of {} numbers", name_,
           dim_);
    }
    grad->resize(dim_);
    std::copy(g.data(), g.data() + dim_, grad->data());
  }
  return value;
}

double PythonObjective::value(const Vector& x) const { return call(x, py::none(), nullptr); }

void PythonObjective::gradient(const Vector& x, Vector& grad) const { call(x, py::none(), &grad); }

double PythonObjective::value_and_gradient(const Vector& x, Vector& grad) const {
  return call(x, py::none(), &grad);
}

double PythonObjective::minibatch_gradient(const Vector& x, std::span<const Index> samples,
                                           Vector& grad) const {
  require(n_samples_ > 0,
          "objective '{}': minibatch sampling needs a finite sum: give n_samples and f(x, batch)",
          name_);
  py::gil_scoped_acquire gil;
  py::array_t<std::int64_t> batch(static_cast<py::ssize_t>(samples.size()));
  std::copy(samples.begin(), samples.end(), batch.mutable_data());
  return call(x, batch, &grad);
}

Vector PythonObjective::initial_point(Rng& /*rng*/) const {
  return start_ ? *start_ : Vector::Zero(dim_);
}

}  // namespace signopt::python
