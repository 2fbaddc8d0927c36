// The signopt extension module (signopt._core); the package signopt/ wraps it (python/signopt).
#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "signopt/core/error.hpp"
#include "signopt/experiment/runner.hpp"

namespace signopt::python {

void bind_errors(py::module_& m) {
  // signopt::Error (bad input: a config key, a file, a parameter) is a ValueError subclass with
  // the C++ message; Python's own exceptions raised inside a callable objective pass through.
  static py::exception<Error> error(m, "Error", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      PyErr_SetString(error.ptr(), e.what());
    }
  });
}

}  // namespace signopt::python

PYBIND11_MODULE(_core, m) {
  m.doc() = "signopt: sign-based stochastic optimisation (C++ core)";
  m.attr("__version__") = SIGNOPT_VERSION;
  signopt::python::bind_errors(m);
  signopt::python::bind_data(m);
  signopt::python::bind_noise(m);
  signopt::python::bind_problems(m);
  signopt::python::bind_optimizers(m);
  signopt::python::bind_experiments(m);
  signopt::python::bind_estimators(m);
}
