#include "signopt/core/written_files.hpp"
#include "signopt/experiment/study_optimum.hpp"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "signopt/core/atomic_file.hpp"
#include "signopt/core/error.hpp"
#include "signopt/core/rng.hpp"
#include "signopt/data/npy.hpp"
#include "signopt/problems/reference_optimum.hpp"

namespace signopt::experiment {
namespace {

constexpr const char* kCacheFile = "reference_optimum.json";

// What determines f*: the problem's description (type, λ, intercept, data, sizes) and its data
// file's size and modification time.
std::string problem_key(const ExperimentConfig& config, const BuiltProblem& built) {
  std::string key = built.description;
  std::error_code ec;
  const auto& data = config.problem.data;
  if (!data.empty() && std::filesystem::is_regular_file(data, ec)) {
    const auto size = std::filesystem::file_size(data, ec);
    const auto time = std::filesystem::last_write_time(data, ec).time_since_epoch().count();
    key += fmt::format("|{}|{}", size, time);
  }
  key += fmt::format("|split {} {} std {} limit {}", config.problem.test_fraction, config.problem.split_seed,
                     config.problem.standardize, config.problem.train_limit.value_or(0));
  return fmt::format("{:016x}", stream_tag(key));
}

std::optional<StudyOptimum> cached(const std::filesystem::path& output, const std::string& key) {
  std::ifstream in(output / kCacheFile);
  if (!in) return std::nullopt;
  try {
    const auto js = nlohmann::json::parse(in);
    if (js.at("key").get<std::string>() != key) return std::nullopt;
    return StudyOptimum{js.at("f_star").get<double>(), js.at("note").get<std::string>() + " (cached)",
                        js.at("f_star_lower_bound").get<double>()};
  } catch (const std::exception&) {
    return std::nullopt;  // unreadable: solve again and overwrite it
  }
}

}  // namespace

StudyOptimum study_optimum(const ExperimentConfig& config, const BuiltProblem& built,
                           const std::filesystem::path& output) {
  const Problem& problem = *built.problem;
  if (!problem.is_convex()) {
    return {std::nullopt,
            fmt::format("{} is not convex: no reference f* (train_gap is not reported)", problem.name()),
            std::nullopt};
  }
  const std::string key = problem_key(config, built);
  if (!output.empty()) {
    if (auto hit = cached(output, key)) {
      // Reused, not rewritten: still this study's files, which a fresh run must not delete as
      // the previous study's (signopt/experiment/output_directory.hpp).
      announce_written_file(output / kCacheFile);
      announce_written_file(output / "reference_point.npy");
      return *hit;
    }
  }
  ReferenceOptimum optimum;
  try {
    optimum = solve_reference_optimum(problem, Vector::Zero(problem.dim()));
  } catch (const Error& e) {
    return {std::nullopt, fmt::format("no reference f*: {}", e.what()), std::nullopt};
  }
  double gap = 0.0;  // the certified f(x*) − f* (0 for a closed form)
  if (optimum.method != "closed form") {
    const auto mu = problem.strong_convexity();
    if (!mu || !(*mu > 0)) {
      return {std::nullopt, "no reference f*: the solve has no strong-convexity certificate", std::nullopt};
    }
    gap = optimum.gradient_norm * optimum.gradient_norm / (2.0 * *mu);
  }
  StudyOptimum out{optimum.value, optimum.note, optimum.value - gap};
  if (!output.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(output, ec);
    if (!ec) {
      nlohmann::json js{{"key", key}, {"f_star", optimum.value}, {"note", optimum.note}, {"f_star_lower_bound", *out.lower_bound},
                        {"method", optimum.method}, {"iterations", optimum.iterations},
                        {"gradient_norm", optimum.gradient_norm}, {"problem", built.description}};
      write_file_atomically(output / kCacheFile, js.dump(2) + "\n");
      write_npy_vector(output / "reference_point.npy", optimum.point);
    }
  }
  return out;
}

}  // namespace signopt::experiment
