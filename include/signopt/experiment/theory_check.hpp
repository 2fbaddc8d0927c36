#pragma once
// Checks an experiment against the explicit bounds of docs/theory.md §3 (docs/estimate.md):
//
//   minibatch-SignSGD (Theorem 1, with probability ≥ 1 − δ): the empirical (1 − δ)-quantile
//     across seeds of the running mean (1/T') Σ_{k=1..T'} ‖∇f(x^k)‖₁ against
//     4Δ1/(T'γ) + 80 L0 d γ log(1/δ) + 8‖σ⃗‖₁/B^{(κ−1)/κ} + 24 d ‖∇f(x¹)‖₁ log(1/δ)/T';
//   M-SignSGD (Theorem 2, in expectation): the mean across seeds of the same running mean
//     against 2Δ1/(γT') + 4√d E‖ε¹‖₂/(T'(1−β)) + 8√d (1−β)^{(κ−1)/κ}‖σ⃗‖_κ + 2 L0 d γ/(1−β),
//     with E‖ε¹‖₂ ≤ β‖∇f(x¹)‖₁ + (1−β)‖σ⃗‖_κ (m⁰ = 0; the tuner's bound).
// at every recorded iteration: the runner's iteration k holds x^{k+1} in the theorems' 1-based
// numbering, so its column grad_norm1_mean is the theorems' average over T' = k + 1 iterates
// (exactly so when every iteration is recorded, [evaluation] every = 1).
// γ, B, β are each method's resolved parameters; L0, L1, Δ1, σ⃗, κ, δ the [theory] inputs
// (analytic, given or estimated constants). A diverged run counts as +∞.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "signopt/experiment/config.hpp"
#include "signopt/experiment/gnuplot_figure.hpp"
#include "signopt/experiment/runner.hpp"
#include "signopt/noise/noise_model.hpp"
#include "signopt/problems/problem.hpp"

namespace signopt::experiment {

// grad_norm1_mean of one method across its seeds.
struct SeedCurves {
  std::vector<Index> iterations;            // recorded iterations, ascending
  std::vector<std::vector<double>> values;  // [seed][i]; +∞ where a run had stopped
};

struct BoundPoint {
  Index iteration = 0;
  double T = 0.0;  // T' = iteration + 1
  double empirical = 0.0;
  double bound = 0.0;
};

struct MethodBoundCheck {
  std::string label, recipe;
  std::string guarantee;   // "Theorem 1: with probability >= 1 - delta"
  std::string statistic;   // "0.95-quantile across seeds", "mean across seeds"
  std::string parameters;  // "gamma = ..., B = ..."
  double gamma = 0.0, gamma_max = 0.0;
  bool step_size_condition = true;     // γ ≤ γ_max, the step the bound is proved for
  std::size_t seeds = 0, stopped = 0;  // stopped: diverged runs (counted as +∞)
  std::vector<BoundPoint> points;
  std::vector<std::pair<std::string, double>> final_terms;  // the bound's terms at the last T'
  std::size_t violations = 0;                               // points with empirical > bound
  Index first_violation = -1, last_violation = -1;          // iterations
  double worst_ratio = 0.0;                                 // max empirical / bound
  std::string skipped;                                      // non-empty: not checked, and why
};

struct TheoryCheck {
  double delta = 0.0;               // [theory] delta
  std::vector<std::string> inputs;  // the constants used, and where they come from
  bool exact_running_mean = true;   // [evaluation] every = 1
  std::vector<MethodBoundCheck> methods;
};

// Is there a method whose bound can be checked (minibatch-signsgd, m-signsgd)?
bool has_theory_check_methods(const ExperimentConfig& config);

// curves[m] belongs to config.methods[m] (empty curves for methods not checked).
TheoryCheck check_theory_bounds(const ExperimentConfig& config, const Problem& problem,
                                const NoiseModel& noise, const std::vector<SeedCurves>& curves);

// grad_norm1_mean curves of every method from finished runs.
std::vector<SeedCurves> seed_curves(const ExperimentConfig& config, const ExperimentResult& result);

// Writes DIR/theory_check.csv, DIR/theory_check.md and (if plots) DIR/plots/theory_check.png
// and .svg; returns the Markdown section.
// With `render` (on DIR/plots) the figure joins that render's figures; otherwise it is drawn
// and waited for here.
std::string write_theory_check(const std::filesystem::path& dir, const ExperimentConfig& config,
                               const TheoryCheck& check, bool plots, GnuplotRender* render = nullptr);

// For write_report: "" when the config has no checkable method, else the section (a check that
// cannot be done is reported in it, never thrown).
std::string theory_check_section(const std::filesystem::path& dir, const ExperimentConfig& config,
                                 const ExperimentResult& result, bool plots,
                                 GnuplotRender* render = nullptr);

// `signopt estimate check DIR`: the check of a finished experiment directory, from its
// manifest.json (the config) and traces.csv. Returns the Markdown section.
std::string check_experiment_directory(const std::filesystem::path& dir, bool plots = true);

}  // namespace signopt::experiment
