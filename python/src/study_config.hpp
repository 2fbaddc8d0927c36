#pragma once
// The study a Python call describes: a config file, TOML text or a dict, parsed by the same
// loader as `signopt run` (load_config / parse_config), optionally around a Python objective.
#include <pybind11/pybind11.h>

#include "problem_handle.hpp"
#include "signopt/experiment/config.hpp"

namespace signopt::python {

namespace py = pybind11;

// kind: "path" (a config file), "text" (TOML) or "dict".
//
// With a callable objective the study's [problem] table may hold only `start` (the runs start
// there; default: the objective's x0, else zeros): the rest of [problem] describes a built-in
// problem. For parsing, a placeholder problem of the objective's dimension stands in, and is
// replaced in the result by type "python"; config.text keeps the caller's own text, with a
// comment line naming the objective.
experiment::ExperimentConfig study_config(const py::object& source, const std::string& kind,
                                          const ProblemHandle* objective);

}  // namespace signopt::python
