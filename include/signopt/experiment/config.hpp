#pragma once
// The experiment configuration: one TOML file describes a whole study (docs/config.md).
//
// Unknown keys, wrong types and impossible values are Errors naming the file, line and key.
// Method parameters may be numbers or words; the word "theory" (and the named theory step
// sizes "gamma-L", "gamma-L1", "gamma-M") are resolved later by the runner from the tuner.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "signopt/core/types.hpp"
#include "signopt/experiment/parameter_grid.hpp"
#include "signopt/experiment/start_point.hpp"
#include "signopt/optim/method_params.hpp"
#include "signopt/optim/output_point.hpp"
#include "signopt/oracle/gradient_oracle.hpp"

namespace signopt::experiment {

struct ProblemConfig {
  // logistic-regression | quadratic | quartic | double-well | softmax | mlp
  std::string type;
  // Data (logistic-regression, softmax, mlp): a LIBSVM file, or "fashion-mnist".
  std::string data;
  std::optional<Index> features;  // fix d of a LIBSVM file
  double test_fraction = 0.2;     // seeded train/test split; 0 = no test set
  std::uint64_t split_seed = 0;
  bool standardize = false;
  double lambda = 0.0;  // L2 weight
  // logistic-regression: a constant feature 1 appended to every row (train and test), whose
  // weight (the intercept) is not regularised.
  bool intercept = false;
  // Synthetic problems.
  Index dim = 0;
  StartConfig start;                  // x¹ of every run (start_point.hpp); methods may override
  std::vector<double> eigenvalues;    // quadratic: diag(A); or
  double condition = 1.0;             // quadratic: eigenvalues linearly spaced in [1, condition]
  // Neural networks.
  std::vector<Index> hidden;
  std::string activation = "relu";
  std::string precision;  // float32 | float64; default: float32 for mlp, float64 for softmax
  std::optional<Index> train_limit;  // use the first N training rows (quick studies)
};

struct NoiseConfig {
  std::string model = "none";
  std::map<std::string, double, std::less<>> parameters;
};

struct OracleConfig {
  Sampling sampling = Sampling::Full;
  Index batch = 1;  // data samples per oracle draw (minibatch sampling)
};

struct MethodConfig {
  std::string label;   // unique display name ("M-SignSGD")
  std::string recipe;  // registry name ("m-signsgd")
  optim::Params params;
  Index workers = 0;  // > 0: a distributed method with M workers (distributed_method.hpp)
  // Per-method settings that override the study's (so one config can hold runs made with
  // different settings, e.g. the rows of a paper's table): T, the noise, the start.
  std::optional<Index> iterations;
  std::optional<NoiseConfig> noise;
  std::optional<StartConfig> start;
  int line = 0;
  // Parameter grids (parameter_grid.hpp): the axes as parsed, emptied when the block is expanded
  // into one method per combination; then each combination's swept parameters and their values
  // (also in params), and the index of its [[method]] block in ExperimentConfig::blocks.
  std::vector<GridAxis> grid;
  std::vector<std::pair<std::string, double>> grid_point;
  std::size_t block = 0;
};

struct EvaluationConfig {
  Index every = 1;       // record every k-th iteration (and the last), or
  Index log_points = 0;  // about this many log-spaced iterations when > 0
};

// Inputs of the tuner for "theory" parameters and of the theory check (docs/theory.md).
struct TheoryConfig {
  // The failure probability of Theorem 1's high-probability bound, δ ∈ (0, 0.5]; the summary's
  // high-probability statistic is the (1 − δ)-quantile across seeds.
  double delta = 0.05;
  // The seed notebook's constant inside log(1/δ) of the step sizes γ_L and γ_L1 ("gamma-L",
  // "gamma-L1" and lr = "theory" of sgd/signsgd): 0.99, which reproduces the seed's steps. It is
  // a number in a formula, not a failure probability.
  double seed_delta = 0.99;
  // Which (L0, L1) the theory uses, named by what they are:
  //   "smooth"    the problem's constants proved valid for f (logistic regression: plain
  //               smoothness L0 = λ_max(AᵀA)/(4n) + λ, L1 = 0);
  //   "seed"      the seed's heuristic for logistic regression (L0 = λ, L1 = R + λ, L = R² + λ),
  //               not valid for the average loss: never lets the check say "held";
  //   "estimated" the upper envelope of measured pairs (constant_estimation.hpp), not proved;
  //   "given"     L0, L1 below only (the user's claim, not proved by signopt).
  // L0 / L1 below override "smooth", "seed" and "estimated" values (and make them "given").
  std::string constants = "smooth";
  std::optional<double> L0, L1;
  std::optional<double> sigma;  // per-coordinate noise level σ_i (constant); default: from noise
  // Moment order κ ∈ (1, 2]; default: below the noise model's tail index (theory_parameters.hpp).
  std::optional<double> kappa;
  std::optional<double> epsilon;
  double c = 1.0;
};

struct SummaryConfig {
  double band_low = 0.1, band_high = 0.9;  // quantile band drawn in the plots
  std::map<std::string, double, std::less<>> targets;  // metric → level for "iterations to reach"
};

// Selection without bias ([tuning], tuning_selection.hpp): per [[method]] block, the grid
// combination with the best statistic on the tuning seeds, rerun on disjoint evaluation seeds.
struct TuningConfig {
  std::string metric;               // a metric of the traces (its direction: metric_direction.hpp)
  std::string statistic = "median";  // across the tuning seeds: median | mean
  // Each run's value: 0 = its final value; f ∈ (0, 1) = the mean of its evaluations at
  // iterations k ≥ (1 − f)·T (T its own iterations).
  double last_fraction = 0.0;
  Index tuning_seeds = 5;
  std::uint64_t tuning_first_seed = 0;
  Index evaluation_seeds = 10;
  std::uint64_t evaluation_first_seed = 5;  // default: right after the tuning seeds
  int line = 0;
  // Which phase the config holding it describes: the tuning phase (as parsed: every combination,
  // seeds = the tuning seeds) or the evaluation phase (the winners on the evaluation seeds).
  bool evaluation_phase = false;
};

struct ExperimentConfig {
  std::filesystem::path source;  // the config file
  std::string text;              // its contents (for the manifest and the resume check)
  std::string name;
  std::string description;
  std::uint64_t seed = 0;        // experiment seed: every random stream derives from it
  Index seeds = 10;              // runs per method, with run seeds first_seed, first_seed+1, ...
  std::uint64_t first_seed = 0;
  Index iterations = 1000;       // T
  int threads = 0;               // 0: all hardware threads
  std::string output = "results";
  optim::OutputRule output_point = optim::OutputRule::Uniform;
  double max_loss = 1e12;        // a run whose loss exceeds this (or is NaN/Inf) has diverged
  ProblemConfig problem;
  NoiseConfig noise;
  OracleConfig oracle;
  EvaluationConfig evaluation;
  TheoryConfig theory;
  SummaryConfig summary;
  std::vector<MethodConfig> methods;  // after grid expansion: one per combination
  std::vector<MethodGrid> blocks;     // the [[method]] blocks and their grids
  std::optional<Index> max_runs;      // the most runs the study may make (all phases)
  int max_runs_line = 0;
  // Set: the study runs in two phases (tuning_study.hpp); `seeds` and `first_seed` are those of
  // the phase this config describes (as parsed: the tuning seeds).
  std::optional<TuningConfig> tuning;

  // Iterations at which metrics are recorded: always 0 (the start) and T.
  std::vector<Index> evaluation_iterations() const { return evaluation_iterations(iterations); }
  std::vector<Index> evaluation_iterations(Index T) const;

  // A method's settings: its own where it overrides the study's.
  Index iterations_of(std::size_t method) const;
  const NoiseConfig& noise_of(std::size_t method) const;
  const StartConfig& start_of(std::size_t method) const;
  // The largest T of any method.
  Index max_iterations() const;
  // Whether some method overrides T, the noise or the start.
  bool has_method_overrides() const;
  // Every distributed method runs with M workers (--workers); a method whose M this changes gets
  // " (run at M=… by --workers)" appended to its label, so no output shows an M that did not run.
  void override_workers(Index M);
  // This study as method m ran it: its T, noise and start in place of the study's.
  ExperimentConfig with_method_settings(std::size_t method) const;
};

ExperimentConfig load_config(const std::filesystem::path& path);
ExperimentConfig parse_config(const std::string& text, const std::string& source);

// Every key with its meaning and default, for `signopt run --help` (docs/config.md has more).
std::string config_reference();

}  // namespace signopt::experiment
