#include "signopt/experiment/sensitivity_plots.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "signopt/core/atomic_file.hpp"
#include "signopt/core/statistics.hpp"
#include "signopt/experiment/metric_direction.hpp"
#include "signopt/experiment/plots.hpp"
#include "signopt/experiment/run_result.hpp"

namespace signopt::experiment {
namespace {

struct Point {
  double x, score, lower, upper;
};

std::string finite_or_nan(double v) { return std::isfinite(v) ? format_number(v) : "nan"; }

double point_value(const MethodConfig& m, const std::string& parameter) {
  for (const auto& [name, v] : m.grid_point) {
    if (name == parameter) return v;
  }
  return std::nan("");
}

}  // namespace

std::pair<double, double> score_band(const CombinationScore& score, double low, double high) {
  std::vector<double> v = score.values;
  std::sort(v.begin(), v.end());
  // With infinite values the interpolated quantile may be ∞ − ∞; such a band end is not drawn.
  auto q = [&](double level) {
    const double r = quantile_sorted(v, level);
    return std::isfinite(r) ? r : std::nan("");
  };
  return {q(low), q(high)};
}

std::string sensitivity_stem(const std::string& parameter) {
  std::string stem = "sensitivity-";
  for (char c : parameter) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_';
    stem += plain ? c : '_';
  }
  return stem;
}

std::vector<std::string> add_sensitivity_plots(GnuplotRender& render,
                                               const ExperimentConfig& config,
                                               const std::vector<BlockSelection>& selections) {
  const TuningConfig& t = config.tuning.value();
  std::vector<std::string> undrawn;
  for (const std::string& parameter : grid_columns(config)) {
    // Per block sweeping the parameter: its slice through the chosen setting, and the chosen point.
    std::vector<std::string> labels;
    std::vector<std::vector<Point>> curves;
    std::vector<Point> chosen;
    bool log_x = true;
    for (const BlockSelection& sel : selections) {
      const MethodGrid& block = config.blocks.at(sel.block);
      const auto axis = std::find_if(block.axes.begin(), block.axes.end(),
                                     [&](const GridAxis& a) { return a.parameter == parameter; });
      if (axis == block.axes.end()) continue;
      log_x = log_x && axis->log_spaced;
      const MethodConfig& winner = config.methods.at(sel.combinations.at(sel.winner).method);
      std::vector<Point> curve;
      for (const CombinationScore& c : sel.combinations) {
        const MethodConfig& m = config.methods.at(c.method);
        bool on_slice = true;
        for (const auto& [name, v] : m.grid_point) {
          if (name != parameter && v != point_value(winner, name)) on_slice = false;
        }
        if (!on_slice) continue;
        const auto [lower, upper] =
            score_band(c, config.summary.band_low, config.summary.band_high);
        curve.push_back({point_value(m, parameter), c.score, lower, upper});
        if (&c == &sel.combinations[sel.winner]) chosen.push_back(curve.back());
      }
      std::sort(curve.begin(), curve.end(),
                [](const Point& a, const Point& b) { return a.x < b.x; });
      labels.push_back(block.label);
      curves.push_back(std::move(curve));
    }
    if (curves.empty()) continue;
    // gnuplot refuses a figure without a single finite point (every combination diverged).
    const bool drawable =
        std::any_of(curves.begin(), curves.end(), [](const std::vector<Point>& curve) {
          return std::any_of(curve.begin(), curve.end(),
                             [](const Point& p) { return std::isfinite(p.score); });
        });
    if (!drawable) {
      undrawn.push_back(parameter);
      continue;
    }

    const std::string stem = sensitivity_stem(parameter);
    const std::string data = stem + ".dat";
    double y_min = INFINITY, y_max = -INFINITY;
    write_file_atomically(render.dir() / data, [&](std::ostream& out) {
      out << "# " << parameter
          << " score lower upper; then the chosen point: one pair of blocks per method\n";
      for (std::size_t i = 0; i < curves.size(); ++i) {
        out << "# " << labels[i] << '\n';
        for (const Point& p : curves[i]) {
          out << format_number(p.x) << ' ' << finite_or_nan(p.score) << ' '
              << finite_or_nan(p.lower) << ' ' << finite_or_nan(p.upper) << '\n';
          for (double v : {p.score, p.lower, p.upper}) {
            if (std::isfinite(v)) {
              y_min = std::min(y_min, v);
              y_max = std::max(y_max, v);
            }
          }
        }
        out << "\n\n# " << labels[i] << ": chosen\n"
            << format_number(chosen[i].x) << ' ' << finite_or_nan(chosen[i].score) << "\n\n\n";
      }
    });
    const bool log_y = !higher_is_better(t.metric) && y_min > 0 && y_max / y_min >= 20;
    // The y label: what one point is, short enough for the figure's height.
    const std::string per_run = t.last_fraction > 0 ? fmt::format("{}, mean of the last {:g} %",
                                                                  t.metric, 100 * t.last_fraction)
                                                    : "final " + t.metric;
    const std::string y_label =
        fmt::format("{} ({} tuning seeds) of {}", t.statistic, t.tuning_seeds, per_run);
    std::ostringstream setup;
    setup << "set datafile missing 'nan'\n"
          << "set key outside right top box opaque width 1\n"
          << "set grid lc rgb '#dddddd'\n"
          << "set xlabel \"" << gnuplot_text(parameter) << "\"\n"
          << (log_x ? "set logscale x\n" : "") << (log_y ? "set logscale y\n" : "")
          << "set ylabel \"" << gnuplot_text(y_label)
          << "\"\n"
          // Two lines: what is plotted, then (smaller) how to read it.
          << "set title \""
          << gnuplot_text(fmt::format("{}: sensitivity to {}", config.name, parameter))
          << "\\n{/*0.8 "
          << gnuplot_text(fmt::format(
                 "{}: {} is better; band: {:g}–{:g} quantile of the tuning runs; other swept "
                 "parameters at the chosen values",
                 t.metric, higher_is_better(t.metric) ? "higher" : "lower", config.summary.band_low,
                 config.summary.band_high))
          << "}\"\n"
          << "set style fill transparent solid 0.18 noborder\n";
    std::ostringstream plot;
    plot << "plot ";
    for (std::size_t i = 0; i < curves.size(); ++i) {
      plot << fmt::format("'{}' index {} using 1:3:4 with filledcurves lc rgb '{}' notitle, ", data,
                          2 * i, plot_colour(i));
    }
    for (std::size_t i = 0; i < curves.size(); ++i) {
      plot << fmt::format(
                  "'{}' index {} using 1:2 with linespoints lw 2 pt 7 ps 0.8 {} title \"{}\", ",
                  data, 2 * i, plot_line_style(i), gnuplot_text(labels[i]))
           << fmt::format(
                  "'{}' index {} using 1:2 with points pt 6 ps 2.6 lw 2 lc rgb 'black' notitle, ",
                  data, 2 * i + 1);
    }
    plot
        << "keyentry with points pt 6 ps 2.6 lw 2 lc rgb 'black' title \"chosen (tuning seeds)\"\n";
    render.add({stem, setup.str(), plot.str()});
  }
  return undrawn;
}

}  // namespace signopt::experiment
