#pragma once
// A study with [tuning] (docs/config.md): two phases in one process, each stepping its runs in
// the runner's lock-step groups (no process per combination).
//   1. every grid combination on the tuning seeds: DIR/tuning/, a complete study output
//      (traces.csv, runs.csv, summary.*, plots, runs/ for --resume);
//   2. per [[method]] block the combination with the best score (tuning_selection.hpp), rerun on
//      the evaluation seeds: DIR/ itself, the final comparison at the chosen settings.
// Besides the usual outputs, DIR/grid.csv (every combination's score), DIR/plots/sensitivity-*
// (sensitivity_plots.hpp) and a "Tuning" section in DIR/summary.md with the grid table and a
// warning for each winner on the edge of its grid.
#include <filesystem>
#include <string>
#include <vector>

#include "signopt/experiment/config.hpp"
#include "signopt/experiment/gnuplot_figure.hpp"
#include "signopt/experiment/plots.hpp"
#include "signopt/experiment/runner.hpp"
#include "signopt/experiment/tuning_selection.hpp"

namespace signopt::experiment {

struct TuningStudyResult {
  ExperimentResult tuning, evaluation;
  ExperimentConfig evaluation_config;
  std::vector<BlockSelection> selections;
  std::string summary;  // DIR/summary.md (empty when nothing was written)
};

// `config`: a parsed study with [tuning] (its tuning phase). options.output is DIR; options.outputs
// (if set) is replaced once, by the tuning phase. x_axes: the curves' x axes in both phases' plots
// (write_report). write = false (MPI ranks other than 0): the runs
// only, no files. The plots go to `render` (on DIR/plots) when given, else to one started here.
TuningStudyResult run_tuning_study(const ExperimentConfig& config, const RunOptions& options,
                                   bool write = true, bool plots = true,
                                   GnuplotRender* render = nullptr,
                                   const std::vector<XAxis>& x_axes = {XAxis::Iterations});

// DIR/grid.csv: per combination its block, label, swept parameters, tuning runs, diverged runs,
// score, band and whether it was chosen.
void write_grid_table(const std::filesystem::path& dir, const ExperimentConfig& config,
                      const std::vector<BlockSelection>& selections);

// The "Tuning" section of summary.md (markdown); `undrawn`: swept parameters left without a
// sensitivity plot (add_sensitivity_plots).
std::string tuning_section(const ExperimentConfig& config,
                           const std::vector<BlockSelection>& selections,
                           const std::vector<std::string>& undrawn = {});

}  // namespace signopt::experiment
