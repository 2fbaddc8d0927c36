#pragma once
// Helpers shared by the tests: paths to the source tree and the CLI, running the CLI,
// temporary directories and files.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <algorithm>
#include <cmath>
#include <limits>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace signopt::testing {

// Error of `value` in units of the last place of `reference` (at least the smallest subnormal).
inline double ulps(double value, double reference) {
  const double ulp = std::max(std::nextafter(std::abs(reference), INFINITY) - std::abs(reference),
                              std::numeric_limits<double>::denorm_min());
  return std::abs(value - reference) / ulp;
}

inline std::filesystem::path source_dir() { return SIGNOPT_SOURCE_DIR; }

// A whole file as text (empty when it cannot be read).
inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
inline std::filesystem::path mushrooms_path() { return source_dir() / "data" / "mushrooms.libsvm"; }

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `build/signopt <args>` through the shell; args are passed verbatim (quote as needed).
inline CliResult run_cli(const std::string& args) {
  namespace fs = std::filesystem;
  static int counter = 0;
  const fs::path dir = fs::temp_directory_path() /
                       ("signopt_cli_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  fs::create_directories(dir);
  const fs::path out = dir / "stdout", err = dir / "stderr";
  const std::string cmd = std::string(SIGNOPT_CLI_PATH) + " " + args + " >" + out.string() +
                          " 2>" + err.string();
  const int status = std::system(cmd.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_text(out);
  r.err = read_text(err);
  fs::remove_all(dir);
  return r;
}

// A fresh temporary directory removed when the object dies.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("signopt_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  // Writes `content` to a file in this directory and returns its path.
  std::filesystem::path write(const std::string& name, const std::string& content) const {
    const auto p = path_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace signopt::testing
