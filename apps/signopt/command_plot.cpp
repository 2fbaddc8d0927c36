// signopt plot DIR: re-render an experiment's plots from its CSV files.
#include <fmt/format.h>

#include <memory>

#include "command_registry.hpp"
#include "signopt/experiment/output_directory.hpp"
#include "signopt/experiment/plots.hpp"

namespace signopt::cli {
namespace {

void setup_plot(CLI::App& cmd) {
  auto dir = std::make_shared<std::string>();
  auto axes = std::make_shared<std::vector<std::string>>(std::vector<std::string>{"iterations"});
  cmd.add_option("dir", *dir, "Experiment output directory (holding traces.csv)")->required();
  cmd.add_option("--x", *axes,
                 "x axes, one set of plots each: iterations (default; plus bits for methods that "
                 "communicate), oracle-calls, epochs, bits (uplink per worker), seconds (each run's own "
                 "compute time)")
      ->check(CLI::IsMember(experiment::x_axis_names()))
      ->take_all();
  cmd.callback([dir, axes] {
    std::vector<experiment::XAxis> x;
    for (const auto& a : *axes) x.push_back(experiment::x_axis_from_string(a));
    // A directory signopt wrote keeps listing its files (the new plots among them).
    const auto outputs = experiment::OutputDirectory::reopen_if_listed(*dir);
    for (const auto& image : experiment::render_plots(*dir, x)) fmt::print("{}\n", image.string());
  });
}

const CommandRegistration registration{
    {"plot", "Re-render the plots of an experiment directory from its CSV files", setup_plot}};

}  // namespace
}  // namespace signopt::cli
