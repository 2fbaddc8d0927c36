#pragma once
// gnuplot figures as PNG and SVG next to their scripts, so a figure can be restyled by hand
// (`gnuplot STEM.gp` in that directory). gnuplot writes to STEM.png.part / STEM.svg.part,
// renamed only once complete: an interrupted render never leaves a truncated image.
#include <filesystem>
#include <string>
#include <cstdio>
#include <vector>

namespace signopt::experiment {

struct GnuplotFigure {
  std::string stem;   // file names: STEM.gp, STEM.png, STEM.svg
  std::string setup;  // settings (labels, scales, styles), one command per line
  std::string plot;   // the plot command(s); run once per terminal
  int width = 1000, height = 620;
};

// Renders figures in the background with up to `processes` gnuplot processes (0: one per
// hardware thread). The processes start at construction and wait for work, so their start-up
// can overlap other work (the runs' set-up). add() writes DIR/STEM.gp and hands it to the next
// process in turn; each process draws its figures one after another (starting gnuplot costs
// about as much as drawing a figure, so a process per figure would not pay). wait() returns the
// images (STEM.png, STEM.svg per figure, in the order added) once all are complete, or throws
// Error when gnuplot failed (its messages are kept in DIR/gnuplot-N.log). The destructor ends
// the processes too, so no render outlives its owner.
class GnuplotRender {
 public:
  explicit GnuplotRender(std::filesystem::path dir, int processes = 0);
  GnuplotRender(const GnuplotRender&) = delete;
  GnuplotRender& operator=(const GnuplotRender&) = delete;
  ~GnuplotRender();

  const std::filesystem::path& dir() const { return dir_; }
  void add(const GnuplotFigure& figure);
  std::vector<std::filesystem::path> wait();

 private:
  // Closes every pipe (gnuplot then exits after its last figure); returns the exit statuses.
  std::vector<int> close_all();

  std::filesystem::path dir_;
  std::vector<std::FILE*> pipes_;
  std::vector<bool> broken_;  // a write failed: that gnuplot exited early
  std::vector<std::string> stems_;
  std::size_t next_ = 0;
  bool waited_ = false;
};

// Renders one figure and waits: {DIR/STEM.png, DIR/STEM.svg}.
std::vector<std::filesystem::path> render_gnuplot_figure(const std::filesystem::path& dir,
                                                         const GnuplotFigure& figure);

// Escapes text for a double-quoted gnuplot string in enhanced mode (quotes, backslashes,
// underscores).
std::string gnuplot_text(const std::string& text);

}  // namespace signopt::experiment
