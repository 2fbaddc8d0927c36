#pragma once
// The parts of the signopt extension module, one file each (module.cpp calls them in order).
#include <pybind11/pybind11.h>

namespace signopt::python {

namespace py = pybind11;

void bind_errors(py::module_& m);
void bind_data(py::module_& m);
void bind_noise(py::module_& m);
void bind_problems(py::module_& m);
void bind_optimizers(py::module_& m);
void bind_experiments(py::module_& m);
void bind_estimators(py::module_& m);

}  // namespace signopt::python
