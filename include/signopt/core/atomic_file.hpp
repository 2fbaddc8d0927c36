#pragma once
// Writing result files so that an interrupted process never leaves a half-written file:
// the content goes to "<path>.tmp.<pid>" and is renamed over <path> only once complete.
#include <filesystem>
#include <functional>
#include <ostream>
#include <string_view>

namespace signopt {

void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ostream&)>& write);
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace signopt
