#pragma once
// Renders one gnuplot figure as PNG and SVG next to its script, so a figure can be restyled by
// hand (`gnuplot STEM.gp` in that directory). gnuplot writes to STEM.png.part / STEM.svg.part,
// renamed only once complete: an interrupted render never leaves a truncated image.
#include <filesystem>
#include <string>
#include <vector>

namespace signopt::experiment {

struct GnuplotFigure {
  std::string stem;   // file names: STEM.gp, STEM.png, STEM.svg
  std::string setup;  // settings (labels, scales, styles), one command per line
  std::string plot;   // the plot command(s); run once per terminal
  int width = 1000, height = 620;
};

// Writes DIR/STEM.gp, runs gnuplot in DIR, returns {DIR/STEM.png, DIR/STEM.svg}. Throws Error
// when gnuplot fails (its messages are kept in DIR/STEM.log).
std::vector<std::filesystem::path> render_gnuplot_figure(const std::filesystem::path& dir,
                                                         const GnuplotFigure& figure);

// Escapes text for a double-quoted gnuplot string in enhanced mode (quotes, backslashes,
// underscores).
std::string gnuplot_text(const std::string& text);

}  // namespace signopt::experiment
