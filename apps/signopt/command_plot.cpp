// signopt plot DIR…: re-render an experiment's plots from its CSV files, steered (metrics,
// x axes, methods, centre, band, y scale), or several studies in one set of figures.
#include <fmt/format.h>

#include <memory>

#include "command_registry.hpp"
#include "signopt/core/error.hpp"
#include "signopt/experiment/output_directory.hpp"
#include "signopt/experiment/plots.hpp"

namespace signopt::cli {
namespace {

struct PlotOptions {
  std::vector<std::string> dirs;
  std::string out;
  std::vector<std::string> metrics, methods;
  std::vector<std::string> axes{"iterations"};
  std::string center = "mean";
  double band = 0;
  bool logy = false, liny = false;
};

void plot(const PlotOptions& o) {
  experiment::PlotRequest request;
  for (const auto& d : o.dirs) request.dirs.emplace_back(d);
  request.out = o.out;
  auto& style = request.style;
  style.x_axes.clear();
  for (const auto& a : o.axes) style.x_axes.push_back(experiment::x_axis_from_string(a));
  style.metrics = o.metrics;
  style.methods = o.methods;
  style.center = o.center == "median" ? experiment::Center::Median : experiment::Center::Mean;
  if (o.band > 0) {
    style.band_low = o.band;
    style.band_high = 1.0 - o.band;
    request.band_given = true;
  }
  require(!(o.logy && o.liny), "--logy and --liny exclude each other");
  if (o.logy) style.log_y = true;
  if (o.liny) style.log_y = false;
  if (request.dirs.size() == 1) {
    require(o.out.empty(), "--out is for several directories; one directory's plots go to DIR/plots");
    // A directory signopt wrote keeps listing its files (the new plots among them).
    const auto outputs = experiment::OutputDirectory::reopen_if_listed(request.dirs.front());
    for (const auto& image : experiment::render_plots(request)) fmt::print("{}\n", image.string());
    return;
  }
  for (const auto& image : experiment::render_plots(request)) fmt::print("{}\n", image.string());
}

void setup_plot(CLI::App& cmd) {
  auto o = std::make_shared<PlotOptions>();
  cmd.add_option("dir", o->dirs,
                 "Experiment output directories (holding traces.csv); several are drawn in one set of "
                 "figures, methods labelled 'STUDY: method' (needs --out)")
      ->required();
  cmd.add_option("--out", o->out, "Several directories: where the combined figures go");
  cmd.add_option("--metric", o->metrics, "Metrics to draw (default: every metric with a figure)")->take_all();
  cmd.add_option("--x", o->axes,
                 "x axes, one set of plots each: iterations (default; plus bits for methods that "
                 "communicate), oracle-calls, epochs, bits (uplink per worker), seconds (each run's own "
                 "compute time)")
      ->check(CLI::IsMember(experiment::x_axis_names()))
      ->take_all();
  cmd.add_option("--methods", o->methods, "Methods to draw, in this order (default: all)")->take_all();
  cmd.add_option("--center", o->center, "The line: mean or median over seeds (default mean)")
      ->check(CLI::IsMember({"mean", "median"}));
  cmd.add_option("--band", o->band,
                 "The band: from the q- to the (1 − q)-quantile over seeds (default: the study's band)")
      ->check(CLI::Range(1e-9, 0.4999999));
  cmd.add_flag("--logy", o->logy, "Log y scale for every metric");
  cmd.add_flag("--liny", o->liny, "Linear y scale for every metric");
  cmd.callback([o] { plot(*o); });
}

const CommandRegistration registration{
    {"plot", "Re-render the plots of experiment directories from their CSV files (steerable)", setup_plot}};

}  // namespace
}  // namespace signopt::cli
