#pragma once
// f* for a study: computed once by a reference solve (problems/reference_optimum.hpp) for convex
// problems, and cached in the output directory (reference_optimum.json, with x* as
// reference_point.npy) so a re-run or --resume of the same problem does not solve again.
#include <filesystem>
#include <optional>
#include <string>

#include "signopt/experiment/config.hpp"
#include "signopt/experiment/problem_factory.hpp"

namespace signopt::experiment {

struct StudyOptimum {
  std::optional<double> value;  // f*, when known
  std::string note;             // how it was obtained, or why it is not known
};

// For a non-convex problem (or one without a minimiser, e.g. λ = 0) the value is empty and the
// note says why; a solve that fails to converge is reported the same way, never guessed.
StudyOptimum study_optimum(const ExperimentConfig& config, const BuiltProblem& built,
                           const std::filesystem::path& output);

}  // namespace signopt::experiment
