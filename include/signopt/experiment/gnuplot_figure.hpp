#pragma once
// gnuplot figures as PNG and SVG next to their scripts, so a figure can be restyled by hand
// (`gnuplot STEM.gp` in that directory). gnuplot writes to STEM.png.part / STEM.svg.part,
// renamed only once complete: an interrupted render never leaves a truncated image.
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace signopt::experiment {

struct GnuplotFigure {
  std::string stem;   // file names: STEM.gp, STEM.png, STEM.svg
  std::string setup;  // settings (labels, scales, styles), one command per line
  std::string plot;   // the plot command(s); run once per terminal
  int width = 1000, height = 620;
};

// Renders figures in the background. The constructor writes DIR/STEM.gp for every figure and
// starts up to `processes` gnuplot processes side by side (0: one per hardware thread), each
// running its share of the scripts one after another (starting gnuplot costs about as much as
// drawing a figure, so a process per figure would not pay). wait() returns the images
// (STEM.png, STEM.svg per figure, in order) once all are complete, or throws Error when gnuplot
// failed (its messages are kept in DIR/STEM.log, STEM the first figure of the failed share).
// The destructor waits too, so no render outlives its owner.
class GnuplotRender {
 public:
  GnuplotRender(std::filesystem::path dir, std::vector<GnuplotFigure> figures, int processes = 0);
  GnuplotRender(const GnuplotRender&) = delete;
  GnuplotRender& operator=(const GnuplotRender&) = delete;
  ~GnuplotRender();

  std::vector<std::filesystem::path> wait();

 private:
  void join();

  std::filesystem::path dir_;
  std::vector<std::string> stems_;
  std::vector<std::vector<std::string>> shares_;  // stems per process
  std::vector<int> status_;                       // exit status per process
  std::vector<std::thread> threads_;
  bool waited_ = false;
};

// Renders one figure and waits: {DIR/STEM.png, DIR/STEM.svg}.
std::vector<std::filesystem::path> render_gnuplot_figure(const std::filesystem::path& dir,
                                                         const GnuplotFigure& figure);

// Escapes text for a double-quoted gnuplot string in enhanced mode (quotes, backslashes,
// underscores).
std::string gnuplot_text(const std::string& text);

}  // namespace signopt::experiment
