#pragma once
// Runs every (method, seed) pair of an experiment on a pool of threads.
//
// Runs are stepped in lock-step groups so that the exact gradients every run needs for its
// metrics (and, with full-gradient sampling, for its oracle) are computed for the whole group in
// one pass over the data (Problem::value_and_gradient_many). Two ways to use the threads: each
// thread steps a group of its own; or, for problems that split their passes over a ThreadTeam
// (Problem::splits_passes, e.g. logistic regression), all runs form one wider group and every
// thread helps in each pass and each step (a wider pass costs less per run). Every run owns its
// optimizer, oracle and random streams, derived from (experiment seed, run seed, worker), and
// problems evaluate each point independently of the others in a pass and of the team, so
// results are bit-identical whatever the number of threads or the grouping.
#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "signopt/core/error.hpp"
#include "signopt/experiment/config.hpp"
#include "signopt/experiment/run_result.hpp"
#include "signopt/noise/noise_model.hpp"
#include "signopt/problems/problem.hpp"

namespace signopt::experiment {

class OutputDirectory;  // signopt/experiment/output_directory.hpp

// Thrown by run_experiment when a signal stopped the runs (on every MPI rank alike).
class Interrupted : public Error {
 public:
  using Error::Error;
};

struct RunOptions {
  std::filesystem::path output;  // where runs/ and the outputs go
  int threads = 0;               // 0: the config's value, then all hardware threads
  bool resume = false;           // keep runs already finished for this same config
  bool progress = true;          // progress on stderr
  // Set by a signal handler to stop between steps; the runner then throws Error("interrupted").
  const std::atomic<bool>* interrupt = nullptr;
  // Distributed methods: "simulated" (all M workers in this process) or "mpi" (one rank per
  // worker; needs an MpiSession; M = the number of ranks; runs one thread per rank).
  std::string backend = "simulated";
  bool write_runs = true;  // save per-run files (false on MPI ranks other than 0)
  // Set: the previous study's files in it are replaced once the runs are about to start.
  OutputDirectory* outputs = nullptr;
  std::uint64_t max_memory = 0;  // bytes a study may use (0: default_max_memory(), limits.hpp)
  // Set: the objective the runs minimise instead of the one the config's [problem] describes
  // (a Python callable given to signopt.run), named by problem_description in the outputs.
  std::shared_ptr<const Problem> problem;
  std::string problem_description;
};

struct MethodSetup {
  std::string label, recipe;
  std::string parameters;          // resolved, as "lr=0.015, beta=0.9"
  std::vector<std::string> notes;  // how "theory" values were obtained
  Index iterations = 0;            // the T it ran
  std::string noise;               // the noise it ran with (described)
  std::string start;               // where its runs started (described)
  Index workers = 0;               // M it ran with (0: a single-process method)
  std::string execution;           // how: "single process", "simulated: M workers in one process",
                                   // "MPI: M ranks (world ranks 0..M−1 of a launch of W)"
};

struct ExperimentResult {
  TraceSchema schema;
  std::vector<MethodSetup> methods;
  std::vector<RunResult> runs;  // method-major, then seed order
  std::string problem_description;
  std::string noise_description;
  std::string config_digest;
  // f* = min f from a reference solve (convex problems), and how it was obtained or why not.
  std::optional<double> f_star;
  std::string f_star_note;
  std::optional<double> f_star_lower_bound;  // certified: what the theory's Δ1 uses
  // Accuracy of always predicting the most frequent class (labelled data), per split.
  std::optional<double> trivial_train_accuracy, trivial_test_accuracy;
  std::size_t resumed_runs = 0;
  int threads = 1;
  double wall_seconds = 0.0;
  // What the runs used, for the reports that need it again (the theory check).
  std::shared_ptr<const Problem> problem;
  std::shared_ptr<const NoiseModel> noise;
};

// A stable digest of everything that determines the runs (for --resume): the config text, seeds,
// iterations, and the bytes of the data files and the binary (input_hash.hpp).
std::string config_digest(const ExperimentConfig& config);

ExperimentResult run_experiment(const ExperimentConfig& config, const RunOptions& options);

}  // namespace signopt::experiment
