#pragma once
// Grids of method parameters in a config (docs/config.md, "Parameter grids").
//
// Any numeric method parameter may be a list (`lr = [0.1, 0.01]`) or a range
// (`lr = { log = [1e-5, 1e-1], points = 9 }`, `{ linear = [a, b], points = n }`). When the config
// is parsed, a [[method]] block with grids becomes one ordinary method per combination (the
// Cartesian product of its axes, the first axis varying slowest), labelled
// "LABEL [lr=0.001 beta=0.9]" with as many digits as keep the labels of one axis distinct, and
// carrying its grid point, so the runner sees ordinary methods and the reports write the swept
// parameters as columns of their own (grid_columns, grid_cells).
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "signopt/core/types.hpp"

namespace signopt::experiment {

struct ExperimentConfig;

// Bounds on what a grid may ask for before max_runs or the memory check sees it.
inline constexpr Index kMaxGridPoints = 10'000;         // values of one axis
inline constexpr Index kMaxGridCombinations = 100'000;  // combinations of one [[method]] block

// One swept parameter of a [[method]] block.
struct GridAxis {
  std::string parameter;
  std::vector<double> values;  // as listed, or a range's points in increasing order
  bool log_spaced = false;     // a log range, or a list of positive values spanning ≥ 2 decades
  int line = 0;

  // Each validates and throws Error starting with `where` (e.g. "study.toml:12: method.lr").
  // A list: at least one value, each finite, no value twice.
  static GridAxis list(std::string parameter, std::vector<double> values, int line,
                       const std::string& where);
  // `points` values from low to high (low < high, or low == high with points = 1), spaced
  // evenly (linear) or evenly in log (log: low > 0); the ends are exactly low and high.
  static GridAxis range(std::string parameter, double low, double high, Index points, bool log,
                        int line, const std::string& where);
};

// A [[method]] block as written: its label, its grid axes and the methods it became.
struct MethodGrid {
  std::string label;
  std::vector<GridAxis> axes;        // empty: a block without a grid (one method)
  std::vector<std::size_t> methods;  // indices in ExperimentConfig::methods, in grid order
  int line = 0;
};

// Replaces every method that has grid axes by its combinations and records the blocks in
// config.blocks (every method, with or without a grid, belongs to one). Errors name the file,
// line and key: a swept parameter whose name is an output column (method, seed, ...), a block
// with more than kMaxGridCombinations combinations.
void expand_parameter_grids(ExperimentConfig& config);

// The runs a study makes: methods × seeds, or with [tuning] combinations × tuning seeds plus one
// method per block × evaluation seeds.
Index planned_runs(const ExperimentConfig& config);
// Error naming max_runs (file:line) when planned_runs exceeds it; `seeds_note` says where the
// seed count came from when not from the config (e.g. " (--seeds 50)").
void check_max_runs(const ExperimentConfig& config, const std::string& seeds_note = "");

// The columns of the swept parameters (every parameter some block sweeps), in order of first
// appearance; empty for a study without grids.
std::vector<std::string> grid_columns(const ExperimentConfig& config);
// ",v1,v2,…" for method m: for each column, the method's value of that parameter — its grid point,
// else the number its config gives — or an empty cell when it sets no number for it (the recipe's
// default applies, a word such as "theory" was given, or the recipe has no such parameter).
std::string grid_cells(const ExperimentConfig& config, const std::vector<std::string>& columns,
                       std::size_t method);

}  // namespace signopt::experiment
