#pragma once
// What Python holds as a signopt.Problem: a built-in problem with its data, or a Python
// callable (PythonObjective), behind the one Problem interface the library uses.
#include <memory>
#include <string>

#include "signopt/data/dataset.hpp"
#include "signopt/experiment/config.hpp"
#include "signopt/problems/problem.hpp"

namespace signopt::python {

struct ProblemHandle {
  std::shared_ptr<const Problem> problem;
  std::shared_ptr<const Dataset> train, test;  // built-in problems on data
  std::string description;
  bool is_callable = false;
  // Built-in problems: the [problem] table they came from (the runner rebuilds from it).
  std::optional<experiment::ProblemConfig> config;
};

}  // namespace signopt::python
