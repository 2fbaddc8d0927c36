#include "signopt/experiment/gnuplot_figure.hpp"

#include <fmt/format.h>

#include <pthread.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <sstream>
#include <thread>

#include "signopt/core/atomic_file.hpp"
#include "signopt/core/written_files.hpp"
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

// A single-quoted shell word: any path, including one with quotes or spaces.
std::string shell_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

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

GnuplotRender::GnuplotRender(std::filesystem::path dir, int processes) : dir_(std::move(dir)) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir_, ec);
  require(!ec, "cannot create the plot directory {}: {}", dir_.string(), ec.message());
  if (processes <= 0) processes = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int p = 0; p < processes; ++p) {
    announce_written_file(dir_ / fmt::format("gnuplot-{}.log", p + 1));
    // The malloc settings keep gnuplot from returning each image's memory to the system and
    // faulting it in again for the next one (about 15% of its time).
    const std::string cmd = fmt::format(
        "cd {} && GLIBC_TUNABLES=glibc.malloc.trim_threshold=536870912:"
        "glibc.malloc.mmap_threshold=536870912 exec gnuplot 2>gnuplot-{}.log",
        shell_quoted(dir_.string()), p + 1);
    std::FILE* pipe = popen(cmd.c_str(), "w");
    if (pipe == nullptr) {
      close_all();
      fail("cannot start gnuplot in {}", dir_.string());
    }
    pipes_.push_back(pipe);
    broken_.push_back(false);
  }
}

GnuplotRender::~GnuplotRender() {
  const bool pending = !pipes_.empty();
  close_all();
  if (pending && !waited_) {
    // Abandoned (an error before the figures, or an interrupt): leave no empty logs behind.
    std::error_code ec;
    for (std::size_t p = 1; p <= broken_.size(); ++p) {
      const auto log = dir_ / fmt::format("gnuplot-{}.log", p);
      if (std::filesystem::exists(log, ec) && std::filesystem::file_size(log, ec) == 0) {
        std::filesystem::remove(log, ec);
      }
    }
  }
}

namespace {

// Writes text to a gnuplot pipe. A gnuplot that has already exited (not installed, or it
// failed) must not kill this process with SIGPIPE: the signal is blocked for the write and a
// pending one discarded; the failure shows in the exit status that wait() checks.
bool write_to_pipe(std::FILE* pipe, const std::string& text) {
  sigset_t pipe_signal, old;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, &old);
  const bool ok = std::fwrite(text.data(), 1, text.size(), pipe) == text.size() && std::fflush(pipe) == 0;
  if (!ok) {
    const timespec zero{0, 0};
    sigtimedwait(&pipe_signal, nullptr, &zero);
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return ok;
}

}  // namespace

void GnuplotRender::add(const GnuplotFigure& figure) {
  require(!waited_, "gnuplot render already waited for");
  write_file_atomically(dir_ / (figure.stem + ".gp"), script_text(figure));
  for (const char* ext : {".png", ".svg", ".png.part", ".svg.part"}) announce_written_file(dir_ / (figure.stem + ext));
  stems_.push_back(figure.stem);
  const std::size_t p = next_++ % pipes_.size();
  if (!broken_[p] && !write_to_pipe(pipes_[p], "load '" + figure.stem + ".gp'\n")) broken_[p] = true;
}

std::vector<int> GnuplotRender::close_all() {
  std::vector<int> status;
  for (std::FILE* pipe : pipes_) status.push_back(pclose(pipe));
  pipes_.clear();
  return status;
}

std::vector<std::filesystem::path> GnuplotRender::wait() {
  namespace fs = std::filesystem;
  require(!waited_, "gnuplot render already waited for");
  waited_ = true;
  const std::vector<int> status = close_all();
  std::error_code ec;
  for (std::size_t p = 0; p < status.size(); ++p) {
    if (status[p] == 0 && !broken_[p]) continue;
    for (const auto& stem : stems_) {  // no partial images stay behind
      for (const char* ext : {".png.part", ".svg.part"}) fs::remove(dir_ / (stem + ext), ec);
    }
    fail("gnuplot failed in {} (see {}; is gnuplot installed? scripts/bootstrap)", dir_.string(),
         (dir_ / fmt::format("gnuplot-{}.log", p + 1)).string());
  }
  for (std::size_t p = 0; p < status.size(); ++p) fs::remove(dir_ / fmt::format("gnuplot-{}.log", p + 1), ec);
  std::vector<fs::path> images;
  for (const auto& stem : stems_) {
    for (const char* ext : {".png", ".svg"}) {
      const fs::path part = dir_ / (stem + ext + ".part");
      require(fs::exists(part), "gnuplot did not write {}", part.string());
      fs::rename(part, dir_ / (stem + ext));
      images.push_back(dir_ / (stem + ext));
    }
  }
  return images;
}

std::vector<std::filesystem::path> render_gnuplot_figure(const std::filesystem::path& dir,
                                                         const GnuplotFigure& figure) {
  GnuplotRender render(dir, 1);
  render.add(figure);
  return render.wait();
}

}  // namespace signopt::experiment
