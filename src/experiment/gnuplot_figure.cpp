#include "signopt/experiment/gnuplot_figure.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <sstream>

#include "signopt/core/atomic_file.hpp"
#include "signopt/core/error.hpp"

namespace signopt::experiment {

std::string gnuplot_text(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '_' || c == '^' || c == '{' || c == '}' || c == '@' || c == '&') out += "\\\\";
    out += c;
  }
  return out;
}

std::vector<std::filesystem::path> render_gnuplot_figure(const std::filesystem::path& dir,
                                                         const GnuplotFigure& figure) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  require(!ec, "cannot create the plot directory {}: {}", dir.string(), ec.message());
  std::ostringstream gp;
  gp << "# gnuplot script written by signopt; run: gnuplot " << figure.stem << ".gp\n"
     << figure.setup << (figure.setup.empty() || figure.setup.back() == '\n' ? "" : "\n")
     << fmt::format("set terminal pngcairo size {},{} enhanced font 'Sans,11'\n", figure.width,
                    figure.height)
     << "set output '" << figure.stem << ".png.part'\n"
     << figure.plot << '\n'
     << fmt::format("set terminal svg size {},{} enhanced font 'Sans,11' background rgb 'white'\n",
                    figure.width, figure.height)
     << "set output '" << figure.stem << ".svg.part'\n"
     << figure.plot << "\nset output\n";
  const fs::path script = dir / (figure.stem + ".gp");
  write_file_atomically(script, gp.str());
  const std::string cmd = fmt::format("cd '{}' && gnuplot '{}' 2>'{}.log'", dir.string(),
                                      script.filename().string(), figure.stem);
  const int rc = std::system(cmd.c_str());
  require(rc == 0, "gnuplot failed on {} (see {}.log; is gnuplot installed? scripts/bootstrap)",
          script.string(), (dir / figure.stem).string());
  fs::remove(dir / (figure.stem + ".log"), ec);
  std::vector<fs::path> images;
  for (const char* ext : {".png", ".svg"}) {
    fs::rename(dir / (figure.stem + ext + ".part"), dir / (figure.stem + ext));
    images.push_back(dir / (figure.stem + ext));
  }
  return images;
}

}  // namespace signopt::experiment
