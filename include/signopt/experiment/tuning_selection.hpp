#pragma once
// [tuning]'s choice (docs/config.md, "[tuning]"): per [[method]] block, the grid combination whose
// runs on the tuning seeds score best, and the study that reruns the winners on the evaluation
// seeds (disjoint from the tuning seeds, so the comparison is not scored on the runs that chose
// the settings).
//
// A run's value is its final value of the metric (last_fraction = 0), or the mean of its
// evaluations at iterations k ≥ (1 − last_fraction)·T, T its own iterations. A run that diverged,
// or whose value is not finite, scores the worst value there is: +∞ for a metric to minimise,
// −∞ for an accuracy (metric_direction.hpp). A combination's score is the median or the mean of
// its runs' values across the tuning seeds (so under the median a combination with half its runs
// diverged scores ±∞ too). The best score wins; a tie goes to the first combination in grid order.
#include <cstddef>
#include <string>
#include <vector>

#include "signopt/experiment/config.hpp"
#include "signopt/experiment/runner.hpp"

namespace signopt::experiment {

struct CombinationScore {
  std::size_t method = 0;      // index in the tuning phase's methods
  std::vector<double> values;  // per tuning run, in seed order (±∞: diverged or not finite)
  double score = 0.0;          // their median or mean
  std::size_t diverged = 0;    // runs without a finite value
};

struct BlockSelection {
  std::size_t block = 0;                       // index in ExperimentConfig::blocks
  std::vector<CombinationScore> combinations;  // the block's combinations, in grid order
  std::size_t winner = 0;                      // index into combinations
  bool none_finite = false;  // every combination scored ±∞: the winner is only the first
  // One per swept axis (of ≥ 2 values) whose chosen value is its smallest or largest: the best
  // setting may lie beyond the grid. None when none_finite.
  std::vector<std::string> edge_warnings;
};

// The value one run scores (see above); `higher_better` from the metric.
double run_score(const RunResult& run, std::size_t metric_column, Index iterations,
                 double last_fraction, bool higher_better);

// The choice for every block of `config` (the tuning phase: config.tuning set) from its runs.
std::vector<BlockSelection> select_best(const ExperimentConfig& config,
                                        const ExperimentResult& tuning);

// The evaluation phase: each block's winner (label, parameters and grid point as in the tuning
// phase) on the evaluation seeds; its description says how the settings were chosen.
ExperimentConfig evaluation_config(const ExperimentConfig& config,
                                   const std::vector<BlockSelection>& selections);

}  // namespace signopt::experiment
