#include "signopt/experiment/tuning_study.hpp"

#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <sstream>

#include "signopt/core/atomic_file.hpp"
#include "signopt/core/error.hpp"
#include "signopt/experiment/metric_direction.hpp"
#include "signopt/experiment/report.hpp"
#include "signopt/experiment/run_result.hpp"
#include "signopt/experiment/sensitivity_plots.hpp"

namespace signopt::experiment {
namespace {

std::string value_text(double v) {
  if (std::isnan(v)) return "–";
  if (std::isinf(v)) return v > 0 ? "+∞" : "−∞";
  return fmt::format("{:.4g}", v);
}

// How a combination's score is computed, in words.
std::string score_definition(const TuningConfig& t) {
  const bool higher = higher_is_better(t.metric);
  return fmt::format(
      "the {} across the {} tuning seeds ({}..{}) of each run's {}; {} wins (ties: the first in "
      "grid order); a "
      "run that diverged scores {}",
      t.statistic, t.tuning_seeds, t.tuning_first_seed,
      t.tuning_first_seed + static_cast<std::uint64_t>(t.tuning_seeds) - 1,
      t.last_fraction > 0
          ? fmt::format("mean {} over its evaluations at iterations k ≥ (1 − {:g})·T", t.metric,
                        t.last_fraction)
          : "final " + t.metric,
      higher ? "the highest" : "the lowest", higher ? "−∞" : "+∞");
}

}  // namespace

void write_grid_table(const std::filesystem::path& dir, const ExperimentConfig& config,
                      const std::vector<BlockSelection>& selections) {
  const auto columns = grid_columns(config);
  std::string csv = "block,method";
  for (const auto& c : columns) csv += ',' + c;
  csv += ",runs,diverged,score,lower,upper,chosen\n";
  for (const BlockSelection& sel : selections) {
    for (std::size_t i = 0; i < sel.combinations.size(); ++i) {
      const CombinationScore& c = sel.combinations[i];
      const auto [lower, upper] = score_band(c, config.summary.band_low, config.summary.band_high);
      csv += config.blocks.at(sel.block).label + ',' + config.methods.at(c.method).label +
             grid_cells(config, columns, c.method);
      csv +=
          fmt::format(",{},{},{},{},{},{}\n", c.values.size(), c.diverged, format_number(c.score),
                      format_number(lower), format_number(upper), i == sel.winner ? 1 : 0);
    }
  }
  write_file_atomically(dir / "grid.csv", csv);
}

std::string tuning_section(const ExperimentConfig& config,
                           const std::vector<BlockSelection>& selections,
                           const std::vector<std::string>& undrawn) {
  const TuningConfig& t = config.tuning.value();
  std::ostringstream md;
  md << "\n## Tuning: every grid combination on the tuning seeds\n\n"
     << "The settings compared above were chosen per method by a score: " << score_definition(t)
     << ". "
     << fmt::format("The band is the {:g}–{:g} quantile of the runs' values. ",
                    config.summary.band_low, config.summary.band_high)
     << "Every tuning run: tuning/ (a complete study output); this table: grid.csv; the score "
        "against each "
        "swept parameter (the other swept parameters at the chosen values): "
        "plots/sensitivity-*.png.\n\n";
  for (const std::string& parameter : undrawn) {
    md << "No sensitivity plot for " << parameter
       << ": none of its combinations scored a finite value.\n\n";
  }
  for (const BlockSelection& sel : selections) {
    const MethodGrid& block = config.blocks.at(sel.block);
    md << "### " << block.label << "\n\n";
    if (block.axes.empty()) md << "No grid: one setting, evaluated as it is.\n\n";
    if (sel.none_finite) {
      md << "**Warning: no combination scored a finite value; the first one was evaluated, not "
            "chosen on "
            "merit.**\n\n";
    }
    for (const auto& w : sel.edge_warnings) md << "**Warning: " << w << ".**\n\n";
    md << "| combination | score | band | diverged | |\n|---|---|---|---|---|\n";
    for (std::size_t i = 0; i < sel.combinations.size(); ++i) {
      const CombinationScore& c = sel.combinations[i];
      const auto [lower, upper] = score_band(c, config.summary.band_low, config.summary.band_high);
      md << "| " << config.methods.at(c.method).label << " | " << value_text(c.score) << " | ["
         << value_text(lower) << ", " << value_text(upper) << "] | " << c.diverged << "/"
         << c.values.size() << " | " << (i == sel.winner ? "**chosen**" : "") << " |\n";
    }
    md << '\n';
  }
  return md.str();
}

TuningStudyResult run_tuning_study(const ExperimentConfig& config, const RunOptions& options,
                                   bool write, bool plots, GnuplotRender* render,
                                   const std::vector<XAxis>& x_axes) {
  require(config.tuning.has_value() && !config.tuning->evaluation_phase,
          "run_tuning_study: the config must be a study with [tuning], as parsed");
  TuningStudyResult out;
  // Phase 1: the grid on the tuning seeds, a study of its own in DIR/tuning.
  ExperimentConfig tuning = config;
  tuning.description =
      (config.description.empty() ? "" : config.description + "\n\n") +
      "Tuning phase: every grid combination on the tuning seeds. The choice and the comparison "
      "of the chosen settings on the evaluation seeds: ../summary.md.";
  RunOptions tuning_options = options;
  tuning_options.output = options.output / "tuning";
  out.tuning = run_experiment(tuning, tuning_options);
  if (write) (void)write_report(tuning_options.output, tuning, out.tuning, plots, nullptr, x_axes);

  out.selections = select_best(config, out.tuning);
  out.evaluation_config = evaluation_config(config, out.selections);
  std::optional<GnuplotRender> own_render;
  std::vector<std::string> undrawn;
  if (write) {
    write_grid_table(options.output, config, out.selections);
    if (plots) {
      if (render == nullptr) render = &own_render.emplace(options.output / "plots");
      undrawn = add_sensitivity_plots(*render, config, out.selections);
    }
  }

  // Phase 2: the winners on the evaluation seeds, in DIR itself.
  RunOptions evaluation_options = options;
  evaluation_options.outputs = nullptr;  // the previous study's files went when phase 1 started
  out.evaluation = run_experiment(out.evaluation_config, evaluation_options);
  if (write) {
    out.summary =
        write_report(options.output, out.evaluation_config, out.evaluation, plots, render, x_axes) +
        tuning_section(config, out.selections, undrawn);
    write_file_atomically(options.output / "summary.md", out.summary);
  }
  return out;
}

}  // namespace signopt::experiment
