#pragma once
// Everything written after the runs (docs/outputs.md):
//   traces.csv    tidy long format: method, seed, iteration, one column per metric
//   runs.csv      one row per run: status, output point and its metrics, totals
//   bands.csv     per method, metric and iteration across seeds: mean, median, quantile band,
//                 the (1 − δ)-quantile (the empirical high-probability curve)
//   summary.csv   per method and metric: statistics of the final values across seeds, and the
//   summary.json  seed paper's table columns (docs/theory.md §6), iterations to reach targets
//   summary.md    the same tables for humans
//   manifest.json config, signopt version, git commit, seeds, timings, machine
// Every file is written atomically (temporary name, then rename).
#include <filesystem>
#include <string>

#include "signopt/experiment/config.hpp"
#include "signopt/experiment/gnuplot_figure.hpp"
#include "signopt/experiment/plots.hpp"
#include "signopt/experiment/runner.hpp"

namespace signopt::experiment {

// Across-seed statistics of one method (diverged runs excluded, and counted).
struct MethodSummary {
  std::string method;
  std::size_t runs = 0, diverged = 0;
  // metric → statistic name → value, statistic names: mean, std, median, q05, q25, q75, q95,
  // q_hp (the (1 − δ)-quantile), min, max.
  std::map<std::string, std::map<std::string, double>> final_values;
  std::map<std::string, std::map<std::string, double>> output_point;
  // The seed paper's columns, from the seed-averaged curves (docs/theory.md §6).
  std::map<std::string, double> paper;
  // metric → {reached (count of seeds), mean, median} iterations to reach the target.
  std::map<std::string, std::map<std::string, double>> to_target;
};

std::vector<MethodSummary> summarize(const ExperimentConfig& config, const ExperimentResult& result);

// Writes every file listed above into `dir` (and the plots unless told not to); returns the
// summary.md text. The plots go to `render` when given (a GnuplotRender on dir/plots started
// before the runs, so gnuplot's start-up overlaps them), else to one started here; one set of
// plots per x axis (plots.hpp).
std::string write_report(const std::filesystem::path& dir, const ExperimentConfig& config,
                         const ExperimentResult& result, bool plots = true,
                         GnuplotRender* render = nullptr,
                         const std::vector<XAxis>& x_axes = {XAxis::Iterations});

}  // namespace signopt::experiment
