#include "signopt/experiment/parameter_grid.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "signopt/core/error.hpp"
#include "signopt/experiment/config.hpp"

namespace signopt::experiment {
namespace {

// Names of the identity and counter columns of traces.csv, runs.csv, summary.csv and grid.csv: a
// swept parameter of that name would make two columns of one name.
bool is_output_column(const std::string& name) {
  static const std::set<std::string> names{
      "method",      "label",        "seed",         "iteration", "status",      "diverged_at",
      "output_rule", "output_index", "oracle_calls", "epochs",    "uplink_bits", "downlink_bits",
      "seconds",     "bits_sent",    "wall_seconds", "section",   "metric",      "statistic",
      "value",       "runs",         "diverged",     "lower",     "upper",       "chosen",
      "block",       "score"};
  return names.count(name) > 0;
}

// The fewest significant digits (at least 3) that print every value of the axis differently.
int label_digits(const GridAxis& axis) {
  for (int digits = 3; digits < 17; ++digits) {
    std::set<std::string> seen;
    for (double v : axis.values) seen.insert(fmt::format("{:.{}g}", v, digits));
    if (seen.size() == axis.values.size()) return digits;
  }
  return 17;
}

void check_distinct(const std::vector<double>& values, const std::string& where) {
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  const auto twice = std::adjacent_find(sorted.begin(), sorted.end());
  require(twice == sorted.end(),
          "{}: the grid has the value {} twice (each combination must be distinct)", where, *twice);
}

}  // namespace

GridAxis GridAxis::list(std::string parameter, std::vector<double> values, int line,
                        const std::string& where) {
  require(!values.empty(), "{}: the grid has no points (an empty list)", where);
  require(static_cast<Index>(values.size()) <= kMaxGridPoints,
          "{}: the grid has {} values, more than {}", where, values.size(), kMaxGridPoints);
  for (double v : values)
    require(std::isfinite(v), "{}: grid values must be finite numbers", where);
  check_distinct(values, where);
  GridAxis axis;
  axis.parameter = std::move(parameter);
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  axis.log_spaced = *lo > 0 && *hi / *lo >= 100.0;
  axis.values = std::move(values);
  axis.line = line;
  return axis;
}

GridAxis GridAxis::range(std::string parameter, double low, double high, Index points, bool log,
                         int line, const std::string& where) {
  const char* kind = log ? "log" : "linear";
  require(points >= 1, "{}: points = {}: a grid needs at least one point", where, points);
  require(points <= kMaxGridPoints, "{}: points = {} is more than {}", where, points,
          kMaxGridPoints);
  require(std::isfinite(low) && std::isfinite(high), "{}.{}: the ends must be finite numbers",
          where, kind);
  if (log) {
    require(low > 0 && high > 0,
            "{}.log = [{}, {}]: a log range needs positive ends (use linear = [..] "
            "or a list for values ≤ 0)",
            where, low, high);
  }
  if (points == 1) {
    require(low == high,
            "{}: points = 1 cannot span [{}, {}]: give points ≥ 2, or the one value itself", where,
            low, high);
  } else {
    require(low < high,
            "{}.{} = [{}, {}]: the range must be increasing, [low, high] with low < high", where,
            kind, low, high);
  }
  GridAxis axis;
  axis.parameter = std::move(parameter);
  axis.log_spaced = log;
  axis.line = line;
  for (Index i = 0; i < points; ++i) {
    const double t = points == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(points - 1);
    double v = log ? std::pow(10.0, std::log10(low) + t * (std::log10(high) - std::log10(low)))
                   : low + t * (high - low);
    if (i == 0) v = low;  // the ends exactly as written
    if (i == points - 1) v = high;
    axis.values.push_back(v);
  }
  for (std::size_t i = 1; i < axis.values.size(); ++i) {
    require(axis.values[i] > axis.values[i - 1],
            "{}: {} points in [{}, {}] are too dense to be distinct numbers", where, points, low,
            high);
  }
  return axis;
}

void expand_parameter_grids(ExperimentConfig& config) {
  const std::string source = config.source.string();
  std::vector<MethodConfig> expanded;
  config.blocks.clear();
  for (MethodConfig& m : config.methods) {
    MethodGrid block;
    block.label = m.label;
    block.line = m.line;
    block.axes = std::move(m.grid);
    m.grid.clear();
    m.block = config.blocks.size();
    Index combinations = 1;
    std::vector<int> digits;
    for (const GridAxis& axis : block.axes) {
      if (is_output_column(axis.parameter)) {
        fail("{}:{}: method.{}: a swept parameter may not be named like an output column ({})",
             source, axis.line, axis.parameter, axis.parameter);
      }
      combinations *= static_cast<Index>(axis.values.size());
      if (combinations > kMaxGridCombinations) {
        fail("{}:{}: method '{}': its grids make more than {} combinations", source, m.line,
             m.label, kMaxGridCombinations);
      }
      digits.push_back(label_digits(axis));
    }
    for (Index c = 0; c < combinations; ++c) {
      MethodConfig combination = m;
      // Mixed radix, the last axis fastest.
      Index rest = c;
      std::vector<double> point(block.axes.size());
      for (std::size_t a = block.axes.size(); a-- > 0;) {
        const auto n = static_cast<Index>(block.axes[a].values.size());
        point[a] = block.axes[a].values[static_cast<std::size_t>(rest % n)];
        rest /= n;
      }
      std::string text;
      for (std::size_t a = 0; a < block.axes.size(); ++a) {
        const std::string& name = block.axes[a].parameter;
        combination.params.insert_or_assign(name, point[a]);
        combination.grid_point.emplace_back(name, point[a]);
        text += fmt::format("{}{}={:.{}g}", a == 0 ? "" : " ", name, point[a], digits[a]);
      }
      if (!block.axes.empty()) combination.label += " [" + text + "]";
      block.methods.push_back(expanded.size());
      expanded.push_back(std::move(combination));
    }
    config.blocks.push_back(std::move(block));
  }
  config.methods = std::move(expanded);
}

Index planned_runs(const ExperimentConfig& config) {
  const auto methods = static_cast<Index>(config.methods.size());
  if (config.tuning) {
    return methods * config.tuning->tuning_seeds +
           static_cast<Index>(config.blocks.size()) * config.tuning->evaluation_seeds;
  }
  return methods * config.seeds;
}

void check_max_runs(const ExperimentConfig& config, const std::string& seeds_note) {
  if (!config.max_runs) return;
  const Index runs = planned_runs(config);
  if (runs <= *config.max_runs) return;
  const std::string how = config.tuning ? fmt::format(
                                              "{} grid combinations × {} tuning seeds + {} "
                                              "[[method]] blocks × {} evaluation seeds",
                                              config.methods.size(), config.tuning->tuning_seeds,
                                              config.blocks.size(), config.tuning->evaluation_seeds)
                                        : fmt::format("{} methods (grid combinations) × {} seeds",
                                                      config.methods.size(), config.seeds);
  fail(
      "{}:{}: max_runs = {}: the study would make {} runs ({}{}); shrink the grids or the seeds, "
      "or raise "
      "max_runs",
      config.source.string(), config.max_runs_line, *config.max_runs, runs, how, seeds_note);
}

std::vector<std::string> grid_columns(const ExperimentConfig& config) {
  std::vector<std::string> columns;
  for (const MethodGrid& block : config.blocks) {
    for (const GridAxis& axis : block.axes) {
      if (std::find(columns.begin(), columns.end(), axis.parameter) == columns.end()) {
        columns.push_back(axis.parameter);
      }
    }
  }
  return columns;
}

std::string grid_cells(const ExperimentConfig& config, const std::vector<std::string>& columns,
                       std::size_t method) {
  const MethodConfig& m = config.methods.at(method);
  std::string out;
  for (const std::string& column : columns) {
    out += ',';
    // {} prints the shortest text that reads back as the same double.
    const auto swept = std::find_if(m.grid_point.begin(), m.grid_point.end(),
                                    [&](const auto& p) { return p.first == column; });
    if (swept != m.grid_point.end()) {
      out += fmt::format("{}", swept->second);
    } else if (const auto given = m.params.find(column);
               given != m.params.end() && given->second.is_number()) {
      out += fmt::format("{}", given->second.number());
    }
  }
  return out;
}

}  // namespace signopt::experiment
