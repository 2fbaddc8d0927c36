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
  cmd.add_option("dir", *dir, "Experiment output directory (holding traces.csv)")->required();
  cmd.callback([dir] {
    // A directory signopt wrote keeps listing its files (the new plots among them).
    const auto outputs = experiment::OutputDirectory::reopen_if_listed(*dir);
    for (const auto& image : experiment::render_plots(*dir)) fmt::print("{}\n", image.string());
  });
}

const CommandRegistration registration{
    {"plot", "Re-render the plots of an experiment directory from its CSV files", setup_plot}};

}  // namespace
}  // namespace signopt::cli
