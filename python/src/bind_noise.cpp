// Random streams and the noise models; samplers fill numpy arrays in place.
#include <pybind11/stl.h>

#include <span>

#include "bindings.hpp"
#include "numpy_views.hpp"
#include "signopt/core/rng.hpp"
#include "signopt/noise/noise_registry.hpp"

namespace signopt::python {
namespace {

NoiseParameters noise_parameters(const py::kwargs& kwargs) {
  NoiseParameters p;
  for (const auto& [key, value] : kwargs) {
    const auto name = key.cast<std::string>();
    if (!py::isinstance<py::float_>(value) && !py::isinstance<py::int_>(value)) {
      throw py::type_error("noise parameter " + name + " must be a number");
    }
    p[name] = value.cast<double>();
  }
  return p;
}

// Fills `out` (float64: in place, no copy; float32: drawn in float64, then rounded) or a new
// float64 array of `size` draws.
py::object sample(const NoiseModel& model, const py::object& size_or_out, Rng& rng) {
  if (py::isinstance<py::array>(size_or_out)) {
    auto a = py::reinterpret_borrow<py::array>(size_or_out);
    if (!a.writeable()) throw py::type_error("out is read-only");
    if (!(a.flags() & py::array::c_style)) throw py::type_error("out must be C-contiguous");
    const auto n = static_cast<std::size_t>(a.size());
    if (a.dtype().is(py::dtype::of<double>())) {
      auto* data = static_cast<double*>(a.mutable_data());
      py::gil_scoped_release release;
      model.sample(rng, std::span<double>(data, n));
    } else if (a.dtype().is(py::dtype::of<float>())) {
      auto* data = static_cast<float*>(a.mutable_data());
      std::vector<double> buffer(n);
      {
        py::gil_scoped_release release;
        model.sample(rng, buffer);
      }
      for (std::size_t i = 0; i < n; ++i) data[i] = static_cast<float>(buffer[i]);
    } else {
      throw py::type_error("out must have dtype float64 or float32, got " +
                           std::string(py::str(a.dtype())));
    }
    return a;
  }
  const auto n = size_or_out.cast<py::ssize_t>();
  if (n < 0) throw py::value_error("size must be >= 0");
  Vector v(n);
  {
    py::gil_scoped_release release;
    model.sample(rng, std::span<double>(v.data(), static_cast<std::size_t>(n)));
  }
  return to_numpy(std::move(v));
}

}  // namespace

void bind_noise(py::module_& m) {
  py::class_<Rng>(m, "Rng",
                  "A random stream (xoshiro256**), seeded by one key or derived from several: "
                  "Rng(7), Rng.derive([2025, 3, 0]). Draws advance it.")
      .def(py::init<std::uint64_t>(), py::arg("seed") = 0)
      .def_static(
          "derive",
          [](const std::vector<std::uint64_t>& keys) {
            // derive() takes an initializer list: at most four keys, as the library uses them.
            if (keys.empty() || keys.size() > 4)
              throw py::value_error("Rng.derive takes 1 to 4 keys");
            std::uint64_t k[4] = {0, 0, 0, 0};
            for (std::size_t i = 0; i < keys.size(); ++i) k[i] = keys[i];
            switch (keys.size()) {
              case 1:
                return Rng::derive({k[0]});
              case 2:
                return Rng::derive({k[0], k[1]});
              case 3:
                return Rng::derive({k[0], k[1], k[2]});
              default:
                return Rng::derive({k[0], k[1], k[2], k[3]});
            }
          },
          py::arg("keys"))
      .def("split", &Rng::split, py::arg("key"), "A child stream independent of this one")
      .def("next", &Rng::next, "The next raw 64-bit draw");

  py::class_<NoiseModel, std::shared_ptr<NoiseModel>>(
      m, "NoiseModel", "An additive gradient-noise law (signopt.noise(name, ...))")
      .def_property_readonly("name", &NoiseModel::name)
      .def("describe", &NoiseModel::describe)
      .def("__repr__",
           [](const NoiseModel& n) { return "<signopt.NoiseModel " + n.describe() + ">"; })
      .def_property_readonly("symmetric", &NoiseModel::symmetric)
      .def_property_readonly("moment_supremum", &NoiseModel::moment_supremum,
                             "sup{p : E|z|^p < inf} (inf when every moment is finite)")
      .def_property_readonly("zero_mean", &NoiseModel::zero_mean)
      .def("absolute_moment", &NoiseModel::absolute_moment, py::arg("p"),
           "E|z|^p in closed form (inf when p >= moment_supremum; None when no closed form is "
           "known)")
      .def("sample", &sample, py::arg("size_or_out"), py::arg("rng"),
           "Draws into `out` (a float64 array is filled in place without a copy; float32 is drawn "
           "in float64 and rounded) or returns a new float64 array of `size` draws.");

  m.def(
      "noise",
      [](const std::string& name, const py::kwargs& kwargs) {
        // The library's models are const; Python holds them through a non-const handle type.
        return std::const_pointer_cast<NoiseModel>(
            make_noise_model(name, noise_parameters(kwargs)));
      },
      py::arg("name"),
      "A noise model by name with its parameters, e.g. noise('alpha-stable', alpha=1.5, "
      "scale=0.1)");
  m.def("noise_models", [] {
    py::list out;
    for (const auto& spec : noise_model_specs()) {
      py::dict d;
      d["name"] = spec.name;
      d["description"] = spec.description;
      py::list params;
      for (const auto& p : spec.parameters) {
        py::dict pd;
        pd["name"] = p.name;
        pd["default"] = p.default_value ? py::cast(*p.default_value) : py::none();
        pd["range"] = p.range;
        pd["description"] = p.description;
        params.append(pd);
      }
      d["parameters"] = params;
      out.append(d);
    }
    return out;
  });
}

}  // namespace signopt::python
