#pragma once
// Writing result files so that an interrupted process never leaves a half-written file:
// the content goes to "<path>.tmp.<pid>", is flushed to the disk (fsync) and renamed over <path>
// only once complete. Every path is announced first (signopt/core/written_files.hpp).
#include <filesystem>
#include <functional>
#include <ostream>
#include <string_view>

namespace signopt {

void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ostream&)>& write);
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace signopt
