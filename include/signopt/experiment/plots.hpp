#pragma once
// Plots of an experiment: for each metric, the across-seed centre (mean or median) per method
// as a line and a quantile band (the summary's band, default 10%–90%) as a shaded area, against
// iterations or a cost axis; losses and gradient norms on a log scale unless told otherwise.
// gnuplot writes PNG and SVG files; the data and scripts it used stay next to them, so a figure
// can be restyled by hand. Also DIR/bands.csv: the same statistics per method, metric and
// iteration as a table.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "signopt/experiment/gnuplot_figure.hpp"
#include "signopt/experiment/trace_table.hpp"

namespace signopt::experiment {

// What the plots' x axis shows. Iterations: against k (and, when methods communicate, a few
// metrics also against uplink bits). The others: every metric against that cost column of the
// trace, the mean over seeds at each evaluated iteration (docs/outputs.md "Cost columns").
enum class XAxis { Iterations, OracleCalls, Epochs, Bits, Seconds };
XAxis x_axis_from_string(const std::string& name);  // iterations | oracle-calls | epochs | bits | seconds
std::string to_string(XAxis axis);
std::vector<std::string> x_axis_names();

enum class Center { Mean, Median };

// The colour of the i-th curve (ten that stay apart, then again) and its gnuplot line style:
// that colour, solid for the first ten, then dashed, dotted, dash-dotted (40 distinct styles).
std::string plot_colour(std::size_t i);
std::string plot_line_style(std::size_t i);

struct PlotStyle {
  double band_low = 0.1, band_high = 0.9;
  double delta = 0.05;  // bands.csv's q_hp column: the (1 − δ)-quantile (δ for accuracies)
  std::string title;
  std::vector<XAxis> x_axes{XAxis::Iterations};
  std::vector<std::string> metrics;  // empty: every metric of the study that has a default figure
  std::vector<std::string> methods;  // empty: every method, else these, in this order
  Center center = Center::Mean;
  std::optional<bool> log_y;  // unset: log for losses, gaps and gradient norms
};

// DIR/bands.csv: per method, metric and iteration, the number of finite values across seeds,
// their mean, median, band quantiles and high-probability quantile.
void write_bands(const std::filesystem::path& dir, const TraceTable& table, const PlotStyle& style);

// Throws Error when the style asks for what this table cannot draw: an axis without its column
// (epochs for a problem without data; bits when no method communicates), a metric or a method
// the table does not have (the message lists the ones it has).
void check_plot_request(const TraceTable& table, const PlotStyle& style);

// Writes the plots' data into render.dir() and hands each figure to the render as soon as its
// data is written; render.wait() gives the images. Checks the request first.
void add_plots(GnuplotRender& render, const TraceTable& table, const PlotStyle& style);

// `signopt plot DIR…`: plots from each DIR/traces.csv and DIR/manifest.json (band, δ, name).
// One directory: its bands.csv and DIR/plots/. Several: one figure per metric and axis with
// every study's methods, labelled "STUDY: method" (STUDY the manifest's name, else the
// directory's), into `out` (required then). Throws Error when the inputs are missing or
// malformed, when the request cannot be drawn, or when gnuplot fails.
struct PlotRequest {
  std::vector<std::filesystem::path> dirs;
  std::filesystem::path out;  // several directories: where the figures go
  PlotStyle style;            // title, band and δ default to the (first) manifest's
  bool band_given = false;    // style's band was set (else the manifest's)
};
std::vector<std::filesystem::path> render_plots(const PlotRequest& request);

}  // namespace signopt::experiment
