#include "signopt/experiment/tuning_selection.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "signopt/core/error.hpp"
#include "signopt/core/statistics.hpp"
#include "signopt/experiment/metric_direction.hpp"

namespace signopt::experiment {
namespace {

// The median of values that may hold ±∞ (of one sign; quantile_sorted would form ∞ − ∞).
double median_of(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  const double lo = values[(n - 1) / 2], hi = values[n / 2];
  if (std::isinf(lo)) return lo;  // the midpoint of ±∞ and a number is that infinity
  if (std::isinf(hi)) return hi;
  return lo + 0.5 * (hi - lo);
}

double mean_of(const std::vector<double>& values) {
  // An infinite value makes the mean infinite (all infinities here have one sign).
  for (double v : values) {
    if (std::isinf(v)) return v;
  }
  return mean(values);
}

std::string value_text(double v) { return fmt::format("{:.4g}", v); }

}  // namespace

double run_score(const RunResult& run, std::size_t metric_column, Index iterations,
                 double last_fraction, bool higher_better) {
  const double worst = higher_better ? -std::numeric_limits<double>::infinity()
                                     : std::numeric_limits<double>::infinity();
  if (run.status != "ok" || run.trace.empty()) return worst;
  double value = run.trace.back().values.at(metric_column);
  if (last_fraction > 0) {
    const double from = (1.0 - last_fraction) * static_cast<double>(iterations);
    double sum = 0.0;
    std::size_t n = 0;
    for (const TraceRow& row : run.trace) {
      if (static_cast<double>(row.iteration) >= from) {
        sum += row.values.at(metric_column);
        ++n;
      }
    }
    value = sum / static_cast<double>(n);  // n ≥ 1: T itself is always evaluated
  }
  return std::isfinite(value) ? value : worst;
}

std::vector<BlockSelection> select_best(const ExperimentConfig& config,
                                        const ExperimentResult& tuning) {
  require(config.tuning.has_value(), "select_best: the study has no [tuning]");
  const TuningConfig& t = *config.tuning;
  const auto names = tuning.schema.metric_names();
  const auto column =
      static_cast<std::size_t>(std::find(names.begin(), names.end(), t.metric) - names.begin());
  require(column < names.size(), "[tuning] metric = \"{}\": the runs did not record it", t.metric);
  const bool higher = higher_is_better(t.metric);

  std::vector<CombinationScore> scores(config.methods.size());
  for (std::size_t m = 0; m < scores.size(); ++m) scores[m].method = m;
  for (const RunResult& run : tuning.runs) {  // method-major, then seed order
    CombinationScore& s = scores.at(run.method_index);
    const double v =
        run_score(run, column, config.iterations_of(run.method_index), t.last_fraction, higher);
    s.values.push_back(v);
    if (std::isinf(v)) ++s.diverged;
  }
  std::vector<BlockSelection> selections;
  for (std::size_t b = 0; b < config.blocks.size(); ++b) {
    const MethodGrid& block = config.blocks[b];
    BlockSelection sel;
    sel.block = b;
    for (std::size_t m : block.methods) {
      CombinationScore s = scores.at(m);
      require(!s.values.empty(), "method '{}' has no tuning runs", config.methods[m].label);
      s.score = t.statistic == "mean" ? mean_of(s.values) : median_of(s.values);
      sel.combinations.push_back(std::move(s));
    }
    for (std::size_t i = 1; i < sel.combinations.size(); ++i) {
      const double candidate = sel.combinations[i].score, best = sel.combinations[sel.winner].score;
      if (higher ? candidate > best : candidate < best) sel.winner = i;
    }
    sel.none_finite = std::isinf(sel.combinations[sel.winner].score);
    const MethodConfig& chosen = config.methods[sel.combinations[sel.winner].method];
    for (const GridAxis& axis : block.axes) {
      // A winner not chosen on merit (none_finite) sits nowhere in particular.
      if (axis.values.size() < 2 || sel.none_finite) continue;
      double value = 0.0;
      for (const auto& [name, v] : chosen.grid_point) {
        if (name == axis.parameter) value = v;
      }
      const auto [lo, hi] = std::minmax_element(axis.values.begin(), axis.values.end());
      if (value != *lo && value != *hi) continue;
      const bool smallest = value == *lo;
      sel.edge_warnings.push_back(fmt::format(
          "{}: the chosen {} = {} is the {} value of its grid ({} … {}); the best {} may lie {} "
          "it: extend "
          "the grid",
          block.label, axis.parameter, value_text(value), smallest ? "smallest" : "largest",
          value_text(*lo), value_text(*hi), axis.parameter, smallest ? "below" : "above"));
    }
    selections.push_back(std::move(sel));
  }
  return selections;
}

ExperimentConfig evaluation_config(const ExperimentConfig& config,
                                   const std::vector<BlockSelection>& selections) {
  require(config.tuning.has_value() && selections.size() == config.blocks.size(),
          "evaluation_config: one selection per [[method]] block of a study with [tuning]");
  const TuningConfig& t = *config.tuning;
  ExperimentConfig e = config;
  e.methods.clear();
  for (std::size_t b = 0; b < selections.size(); ++b) {
    MethodConfig winner =
        config.methods.at(selections[b].combinations.at(selections[b].winner).method);
    winner.block = b;
    e.blocks[b].methods = {e.methods.size()};
    e.methods.push_back(std::move(winner));
  }
  e.seeds = t.evaluation_seeds;
  e.first_seed = t.evaluation_first_seed;
  e.tuning->evaluation_phase = true;
  std::string note = fmt::format(
      "Each method at the setting chosen on {} tuning seeds ({}..{}): the one with the {} {}, "
      "across those seeds, "
      "of each run's {}. Run here on {} evaluation seeds ({}..{}). Every combination's score: "
      "Tuning below, "
      "grid.csv and tuning/.",
      t.tuning_seeds, t.tuning_first_seed,
      t.tuning_first_seed + static_cast<std::uint64_t>(t.tuning_seeds) - 1,
      higher_is_better(t.metric) ? "highest" : "lowest", t.statistic,
      t.last_fraction > 0 ? fmt::format("mean {} over the last {:g} % of its iterations", t.metric,
                                        100 * t.last_fraction)
                          : "final " + t.metric,
      t.evaluation_seeds, t.evaluation_first_seed,
      t.evaluation_first_seed + static_cast<std::uint64_t>(t.evaluation_seeds) - 1);
  for (const auto& sel : selections) {
    if (sel.none_finite) {
      note += fmt::format(
          "\n\n**Warning: every combination of {} diverged or scored a non-finite value on the "
          "tuning seeds; it is evaluated at its first combination, which was not chosen on "
          "merit.**",
          config.blocks[sel.block].label);
    }
    for (const auto& w : sel.edge_warnings) note += "\n\n**Warning: " + w + ".**";
  }
  e.description = config.description.empty() ? note : config.description + "\n\n" + note;
  return e;
}

}  // namespace signopt::experiment
