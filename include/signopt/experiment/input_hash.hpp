#pragma once
// A hash of everything a study's results depend on besides its config text: the bytes of its
// data files and of the running signopt binary. --resume reuses a finished run only when this
// hash (inside the config digest) is unchanged, so a changed data file or a rebuilt binary
// never mixes old runs into new results.
#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

namespace signopt::experiment {

struct ProblemConfig;

// FNV-1a (64 bit) of a byte string, continued from `h`.
std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h = 0xcbf29ce484222325ULL);

// FNV-1a of a file's bytes (Error if it cannot be read).
std::uint64_t hash_file(const std::filesystem::path& path);

// The data files a problem reads (none for the synthetic problems).
std::vector<std::filesystem::path> data_files(const ProblemConfig& problem);

// The data files' bytes, and the bytes of /proc/self/exe (where it can be read; else the
// version string).
std::uint64_t study_inputs_hash(const ProblemConfig& problem);

}  // namespace signopt::experiment
