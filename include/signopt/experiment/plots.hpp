#pragma once
// Plots of an experiment directory, re-rendered from its CSV files (`signopt plot DIR`):
// for each metric, the across-seed mean per method as a line and a quantile band
// (manifest.json's band, default 10%–90%) as a shaded area, against iterations; losses and
// gradient norms on a log scale. gnuplot writes PNG and SVG files into DIR/plots/; the data
// and scripts it used stay next to them, so a figure can be restyled by hand.
#include <filesystem>
#include <string>
#include <vector>

namespace signopt::experiment {

// Reads DIR/traces.csv and DIR/manifest.json, writes DIR/bands.csv and DIR/plots/*.
// Returns the image files written. Throws Error when the inputs are missing or malformed, or
// when gnuplot fails.
std::vector<std::filesystem::path> render_plots(const std::filesystem::path& dir);

}  // namespace signopt::experiment
