#pragma once
// Builds the objective a config describes: reads and splits the data, constructs the problem.
#include <memory>

#include "signopt/data/dataset.hpp"
#include "signopt/experiment/config.hpp"
#include "signopt/problems/problem.hpp"

namespace signopt::experiment {

struct BuiltProblem {
  std::shared_ptr<const Problem> problem;
  std::shared_ptr<const Dataset> train, test;  // null for synthetic problems
  std::string description;                     // one line for logs and the manifest
};

BuiltProblem build_problem(const ProblemConfig& config);

}  // namespace signopt::experiment
