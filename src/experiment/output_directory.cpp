#include "signopt/experiment/output_directory.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <map>

#include "signopt/core/error.hpp"

namespace signopt::experiment {
namespace fs = std::filesystem;
namespace {

constexpr const char* kHeader =
    "# Files signopt wrote into this directory, relative to it. A fresh run deletes exactly these\n"
    "# (and their stale .tmp.PID files) before writing its own; other files are never touched.\n";

fs::path normalised(const fs::path& p) { return fs::absolute(p).lexically_normal(); }

// A listed path must stay inside the directory: a hand-edited list must not make a run delete
// anything else.
bool inside(const fs::path& relative) {
  if (relative.empty() || relative.is_absolute()) return false;
  for (const auto& part : relative) {
    if (part == ".." || part == ".") return false;
  }
  return true;
}

// Holds at least one file (empty sub-directories, such as those an earlier attempt created,
// do not count). Stops at the first file found.
bool holds_files(const fs::path& dir) {
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    if (!fs::is_directory(it->symlink_status())) return true;
  }
  require(!ec, "cannot read the output directory {}: {}", dir.string(), ec.message());
  return false;
}

std::set<std::string> read_list(const fs::path& file) {
  std::ifstream in(file);
  require(static_cast<bool>(in), "cannot read {}", file.string());
  std::set<std::string> listed;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line.front() == '#') continue;
    require(inside(fs::path(line)), "{}:{}: '{}' is not a path inside the output directory", file.string(),
            number, line);
    listed.insert(line);
  }
  return listed;
}

// "<name>.tmp.<pid>" of a process that no longer runs (or of no process at all).
bool stale_temporary(const std::string& file, const std::string& name) {
  const std::string prefix = name + ".tmp.";
  if (file.size() <= prefix.size() || file.compare(0, prefix.size(), prefix) != 0) return false;
  const std::string pid = file.substr(prefix.size());
  if (pid.size() > 9 || pid.find_first_not_of("0123456789") != std::string::npos) return false;
  const auto id = static_cast<pid_t>(std::stol(pid));
  if (id == ::getpid()) return false;  // this process's own writes in progress
  return ::kill(id, 0) != 0 && errno == ESRCH;
}

}  // namespace

OutputDirectory::OutputDirectory(fs::path dir, Mode mode)
    : dir_(normalised(dir)), mode_(mode), subscription_([this](const fs::path& file) { record(file); }) {
  std::error_code ec;
  const fs::path list = dir_ / kListName;
  if (fs::exists(list, ec)) {
    previous_ = read_list(list);
  } else if (fs::exists(dir_, ec)) {
    require(fs::is_directory(dir_, ec), "output directory {} is not a directory", dir_.string());
    require(mode_.force || !holds_files(dir_),
            "output directory {} holds files but was not written by signopt (no {} list); choose "
            "another directory or pass --force to write into it anyway (no file of it is deleted; "
            "files with signopt's output names are overwritten)",
            dir_.string(), kListName);
  }
  fs::create_directories(dir_, ec);
  require(!ec, "cannot create output directory {}: {}", dir_.string(), ec.message());
  std::lock_guard lock(mutex_);
  write_list();
}

std::unique_ptr<OutputDirectory> OutputDirectory::reopen_if_listed(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir / kListName, ec)) return nullptr;
  return std::make_unique<OutputDirectory>(dir, Mode{.resume = true});
}

void OutputDirectory::record(const fs::path& file) {
  const fs::path relative = normalised(file).lexically_relative(dir_);
  if (!inside(relative)) return;
  const std::string name = relative.generic_string();
  require(name.find('\n') == std::string::npos, "output file name with a line break: {}", name);
  std::lock_guard lock(mutex_);
  if (!current_.insert(name).second) return;
  if (previous_.count(name) != 0 && !(replaced_ && !mode_.resume)) return;  // listed already
  std::ofstream out(dir_ / kListName, std::ios::app);
  out << name << '\n';
  out.flush();
  require(static_cast<bool>(out), "cannot add {} to {}", name, (dir_ / kListName).string());
}

void OutputDirectory::replace_previous_study() {
  std::lock_guard lock(mutex_);
  require(!replaced_, "output directory {} replaced twice", dir_.string());
  std::error_code ec;
  // Listed names per directory: one scan of each directory finds their stale temporary files.
  std::map<fs::path, std::set<std::string>> names_in;
  for (const auto& name : previous_) names_in[(dir_ / name).parent_path()].insert(fs::path(name).filename());
  for (const auto& name : current_) names_in[(dir_ / name).parent_path()].insert(fs::path(name).filename());
  names_in[dir_].insert(kListName);
  for (const auto& [directory, names] : names_in) {
    if (!fs::is_directory(directory, ec)) continue;
    for (const auto& entry : fs::directory_iterator(directory, ec)) {
      const std::string file = entry.path().filename();
      for (const auto& name : names) {
        if (stale_temporary(file, name)) {
          fs::remove(entry.path(), ec);
          break;
        }
      }
    }
  }
  if (!mode_.resume) {
    for (const auto& name : previous_) {
      if (current_.count(name) != 0) continue;  // this process's file (a gnuplot log, say)
      const fs::path file = dir_ / name;
      const auto status = fs::symlink_status(file, ec);
      if (fs::is_regular_file(status) || fs::is_symlink(status)) {
        fs::remove(file, ec);
        require(!ec, "cannot remove the previous study's {}: {}", file.string(), ec.message());
      }
    }
  }
  replaced_ = true;
  write_list();
}

std::set<std::string> OutputDirectory::listed() const {
  std::lock_guard lock(mutex_);
  std::set<std::string> all = current_;
  if (!replaced_ || mode_.resume) all.insert(previous_.begin(), previous_.end());
  return all;
}

// Caller holds mutex_. Not through write_file_atomically: that announces, and the listener
// would come back here.
void OutputDirectory::write_list() const {
  std::set<std::string> all = current_;
  if (!replaced_ || mode_.resume) all.insert(previous_.begin(), previous_.end());
  const fs::path list = dir_ / kListName;
  const fs::path tmp = list.string() + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << kHeader;
    for (const auto& name : all) out << name << '\n';
    out.flush();
    require(static_cast<bool>(out), "cannot write {}", tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, list, ec);
  require(!ec, "cannot write {}: {}", list.string(), ec.message());
}

}  // namespace signopt::experiment
