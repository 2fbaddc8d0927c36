#pragma once
// An experiment's output directory and the list of the files signopt wrote into it.
//
// The list lives in DIR/.signopt-outputs, one path relative to DIR per line. A path is added
// before its file is created (every writer announces it: signopt/core/written_files.hpp), so a
// process killed mid-way still leaves a list that covers its files. Guarantees:
//  - a fresh run removes exactly the files the list names (the previous study's tables, runs,
//    plots and any "*.tmp.PID" left by a killed process) and nothing else: a file the user put
//    into DIR or DIR/runs survives;
//  - a directory holding files but no list is not a signopt output: it is refused unless the
//    caller forces it (--force), and even then none of its files is deleted;
//  - --resume keeps the listed files and removes only stale temporary files.
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "signopt/core/written_files.hpp"

namespace signopt::experiment {

class OutputDirectory {
 public:
  static constexpr const char* kListName = ".signopt-outputs";

  struct Mode {
    bool resume = false;  // keep the previous study's files (its runs are reused)
    bool force = false;   // accept a non-empty directory without a list
  };

  // Checks the directory (Error if it holds files but no list and !force), creates it and starts
  // recording every file written inside it. Deletes nothing yet: see replace_previous_study().
  OutputDirectory(std::filesystem::path dir, Mode mode);
  // For commands that add files to a finished study (plot, estimate check): the directory in
  // resume mode when signopt wrote it, else null (a directory of an older signopt: its new files
  // are then not listed).
  static std::unique_ptr<OutputDirectory> reopen_if_listed(const std::filesystem::path& dir);

  OutputDirectory(const OutputDirectory&) = delete;
  OutputDirectory& operator=(const OutputDirectory&) = delete;

  // Called once the new study is sure to start (its config and data checked). Fresh: deletes
  // every listed file of the previous study that this process has not written again, with its
  // stale temporary files. Resume: deletes only the stale temporary files of listed files.
  void replace_previous_study();

  const std::filesystem::path& path() const { return dir_; }
  // Paths (relative to the directory) the list names now.
  std::set<std::string> listed() const;

  // Adds a file to the list (the listener calls it; public for writers that do not go through
  // write_file_atomically, such as gnuplot's images). Files outside the directory are ignored.
  void record(const std::filesystem::path& file);

 private:
  void write_list() const;  // whole list, atomically

  std::filesystem::path dir_;  // absolute, normalised
  Mode mode_;
  std::set<std::string> previous_;  // listed before this process started
  std::set<std::string> current_;   // written by this process
  bool replaced_ = false;
  mutable std::mutex mutex_;
  WrittenFileSubscription subscription_;  // last: unsubscribes before the members above go
};

}  // namespace signopt::experiment
