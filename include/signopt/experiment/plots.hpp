#pragma once
// Plots of an experiment: for each metric, the across-seed mean per method as a line and a
// quantile band (the summary's band, default 10%–90%) as a shaded area, against iterations (and
// against bits sent when methods communicate); losses and gradient norms on a log scale.
// gnuplot writes PNG and SVG files into DIR/plots/; the data and scripts it used stay next to
// them, so a figure can be restyled by hand. Also DIR/bands.csv: the same statistics per
// method, metric and iteration as a table.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "signopt/experiment/gnuplot_figure.hpp"
#include "signopt/experiment/run_result.hpp"

namespace signopt::experiment {

// Every run's trace values, per method and metric: for each evaluated iteration (increasing),
// the values across seeds (in the order of the runs). All metrics of a method list the same
// iterations.
struct TraceTable {
  using Series = std::vector<std::pair<long long, std::vector<double>>>;
  std::vector<std::string> metrics;
  std::vector<std::string> methods;  // in order of first appearance
  std::map<std::string, std::map<std::string, Series>> data;

  // Adds one run's rows (iteration, one value per metric); `expected_runs`: the method's runs
  // in all, so that each iteration's values are allocated once.
  void add_run(const std::string& method, const std::vector<TraceRow>& rows,
               std::size_t expected_runs = 0);
};

TraceTable trace_table(const std::vector<RunResult>& runs, const TraceSchema& schema);
// From DIR/traces.csv; throws Error naming file and line when it is missing or malformed.
TraceTable read_trace_table(const std::filesystem::path& traces_csv);

// What the plots' x axis shows. Iterations: against k (and, when methods communicate, a few
// metrics also against uplink bits). The others: every metric against that cost column of the
// trace, the mean over seeds at each evaluated iteration (docs/outputs.md "Cost columns").
enum class XAxis { Iterations, OracleCalls, Epochs, Bits, Seconds };
XAxis x_axis_from_string(const std::string& name);  // iterations | oracle-calls | epochs | bits | seconds
std::string to_string(XAxis axis);
std::vector<std::string> x_axis_names();

struct PlotStyle {
  double band_low = 0.1, band_high = 0.9;
  double delta = 0.05;  // bands.csv's q_hp column: the (1 − δ)-quantile (δ for accuracies)
  std::string title;
  std::vector<XAxis> x_axes{XAxis::Iterations};
};

// DIR/bands.csv: per method, metric and iteration, the number of finite values across seeds,
// their mean, median, band quantiles and high-probability quantile.
void write_bands(const std::filesystem::path& dir, const TraceTable& table, const PlotStyle& style);

// Writes the plots' data into render.dir() and hands each figure to the render as soon as its
// data is written; render.wait() gives the images.
void add_plots(GnuplotRender& render, const TraceTable& table, const PlotStyle& style);

// Throws Error when an axis cannot be drawn from this table (no epochs column: a problem
// without data; bits: no method communicates).
void check_x_axes(const TraceTable& table, const std::vector<XAxis>& axes);

// `signopt plot DIR`: bands and plots from DIR/traces.csv and DIR/manifest.json, waiting for
// the images. Throws Error when the inputs are missing or malformed, or when gnuplot fails.
std::vector<std::filesystem::path> render_plots(const std::filesystem::path& dir,
                                                const std::vector<XAxis>& x_axes = {XAxis::Iterations});

}  // namespace signopt::experiment
