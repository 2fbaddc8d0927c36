#pragma once
// numpy arrays over memory the C++ side owns, and checked access to arrays Python passes in.
//
// A view shares the buffer of a C++ object (a data set's matrix, a gradient just computed): the
// object is kept alive by a capsule that numpy holds as the array's base, so nothing is copied
// and nothing dangles. Arrays written in place (an iterate x, a buffer to fill with noise) must
// be float64, C-contiguous and writeable: a silently converted copy would leave the caller's
// array unchanged.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <memory>
#include <string>
#include <vector>

#include "signopt/core/types.hpp"

namespace signopt::python {

namespace py = pybind11;

// A numpy array of `shape` over `data`, keeping `owner` alive as long as the array lives.
template <typename T, typename Owner>
py::array_t<T> view(const T* data, std::vector<py::ssize_t> shape, std::shared_ptr<Owner> owner,
                    bool writeable = false) {
  auto* holder = new std::shared_ptr<const void>(std::move(owner));
  py::capsule base(holder, [](void* p) { delete static_cast<std::shared_ptr<const void>*>(p); });
  py::array_t<T> array(std::move(shape), data, base);
  if (!writeable)
    py::detail::array_proxy(array.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return array;
}

// A new vector handed to numpy without a copy (a gradient, a sample).
inline py::array_t<double> to_numpy(Vector&& v) {
  auto owned = std::make_shared<Vector>(std::move(v));
  const double* data = owned->data();
  const auto n = static_cast<py::ssize_t>(owned->size());
  return view(data, {n}, std::move(owned), true);
}

// The float64 C-contiguous writeable 1-D array `name` refers to, for writing in place; anything
// else is a TypeError that says why (a converted copy would not be written back).
inline py::array_t<double, py::array::c_style> writable_vector(const py::handle& obj,
                                                               const char* name) {
  if (!py::isinstance<py::array>(obj)) {
    throw py::type_error(std::string(name) +
                         " must be a numpy array (float64, C-contiguous, writeable)");
  }
  auto a = py::reinterpret_borrow<py::array>(obj);
  if (!a.dtype().is(py::dtype::of<double>())) {
    throw py::type_error(
        std::string(name) + " must have dtype float64 to be updated in place, got " +
        std::string(py::str(a.dtype())) + " (convert once with x.astype(np.float64))");
  }
  if (a.ndim() != 1)
    throw py::type_error(std::string(name) + " must be 1-D, got " + std::to_string(a.ndim()) +
                         "-D");
  if (!(a.flags() & py::array::c_style))
    throw py::type_error(std::string(name) + " must be C-contiguous");
  if (!a.writeable()) throw py::type_error(std::string(name) + " is read-only");
  return py::reinterpret_borrow<py::array_t<double, py::array::c_style>>(a);
}

// A 1-D float64 array to read from: float64 C-contiguous input is used as it is, other real
// dtypes (float32, integers) are converted once.
inline py::array_t<double, py::array::c_style> readable_vector(const py::handle& obj,
                                                               const char* name) {
  auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(obj);
  if (!a) throw py::type_error(std::string(name) + " must be a 1-D array of real numbers");
  if (a.ndim() != 1)
    throw py::type_error(std::string(name) + " must be 1-D, got " + std::to_string(a.ndim()) +
                         "-D");
  return a;
}

// x as an Eigen vector (the Problem interface takes const Vector&: one O(d) copy).
inline Vector to_vector(const py::handle& obj, const char* name) {
  const auto a = readable_vector(obj, name);
  return Eigen::Map<const Vector>(a.data(), a.shape(0));
}

}  // namespace signopt::python
