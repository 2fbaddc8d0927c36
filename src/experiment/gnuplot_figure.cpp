#include "signopt/experiment/gnuplot_figure.hpp"

#include <fmt/format.h>

#include <algorithm>
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

namespace {

std::string script_text(const GnuplotFigure& figure) {
  std::ostringstream gp;
  gp << "# gnuplot script written by signopt; run: gnuplot " << figure.stem << ".gp\n"
     << "reset\n"  // scripts run one after another in one gnuplot process
     << figure.setup << (figure.setup.empty() || figure.setup.back() == '\n' ? "" : "\n")
     << fmt::format("set terminal pngcairo size {},{} enhanced font 'Sans,11'\n", figure.width,
                    figure.height)
     << "set output '" << figure.stem << ".png.part'\n"
     << figure.plot << (figure.plot.empty() || figure.plot.back() == '\n' ? "" : "\n")
     << fmt::format("set terminal svg size {},{} enhanced font 'Sans,11' background rgb 'white'\n",
                    figure.width, figure.height)
     << "set output '" << figure.stem << ".svg.part'\n"
     << figure.plot << (figure.plot.empty() || figure.plot.back() == '\n' ? "" : "\n")
     << "set output\n";
  return gp.str();
}

}  // namespace

GnuplotRender::GnuplotRender(std::filesystem::path dir, std::vector<GnuplotFigure> figures,
                             int processes)
    : dir_(std::move(dir)) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir_, ec);
  require(!ec, "cannot create the plot directory {}: {}", dir_.string(), ec.message());
  for (const auto& figure : figures) {
    write_file_atomically(dir_ / (figure.stem + ".gp"), script_text(figure));
    stems_.push_back(figure.stem);
  }
  if (processes <= 0) processes = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const std::size_t shares = std::min(stems_.size(), static_cast<std::size_t>(processes));
  shares_.resize(shares);
  for (std::size_t i = 0; i < stems_.size(); ++i) shares_[i % shares].push_back(stems_[i]);
  status_.assign(shares, -1);
  try {
    for (std::size_t p = 0; p < shares; ++p) {
      std::string names;
      for (const auto& stem : shares_[p]) names += " '" + stem + ".gp'";
      // The malloc settings keep gnuplot from returning each image's memory to the system and
      // faulting it in again for the next one (about 15% of its time).
      const std::string cmd = fmt::format(
          "cd '{}' && GLIBC_TUNABLES=glibc.malloc.trim_threshold=536870912:"
          "glibc.malloc.mmap_threshold=536870912 gnuplot{} 2>'{}.log'",
          dir_.string(), names, shares_[p].front());
      threads_.emplace_back([this, p, cmd] { status_[p] = std::system(cmd.c_str()); });
    }
  } catch (...) {
    join();  // a thread that could not start: let the started ones finish first
    throw;
  }
}

GnuplotRender::~GnuplotRender() { join(); }

void GnuplotRender::join() {
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

std::vector<std::filesystem::path> GnuplotRender::wait() {
  namespace fs = std::filesystem;
  require(!waited_, "gnuplot render already waited for");
  waited_ = true;
  join();
  for (std::size_t p = 0; p < shares_.size(); ++p) {
    require(status_[p] == 0, "gnuplot failed on {} (see {}.log; is gnuplot installed? scripts/bootstrap)",
            (dir_ / (shares_[p].front() + ".gp")).string(), (dir_ / shares_[p].front()).string());
  }
  std::error_code ec;
  for (const auto& share : shares_) fs::remove(dir_ / (share.front() + ".log"), ec);
  std::vector<fs::path> images;
  for (const auto& stem : stems_) {
    for (const char* ext : {".png", ".svg"}) {
      fs::rename(dir_ / (stem + ext + ".part"), dir_ / (stem + ext));
      images.push_back(dir_ / (stem + ext));
    }
  }
  return images;
}

std::vector<std::filesystem::path> render_gnuplot_figure(const std::filesystem::path& dir,
                                                         const GnuplotFigure& figure) {
  return GnuplotRender(dir, {figure}, 1).wait();
}

}  // namespace signopt::experiment
