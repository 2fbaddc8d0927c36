#include "signopt/experiment/input_hash.hpp"

#include <fstream>
#include <vector>

#include "signopt/core/error.hpp"
#include "signopt/core/rng.hpp"
#include "signopt/data/idx_reader.hpp"
#include "signopt/experiment/config.hpp"

namespace signopt::experiment {

std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h) {
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::uint64_t hash_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  require(static_cast<bool>(in), "{}: cannot open for reading (to check it for --resume)", path.string());
  std::uint64_t h = 0xcbf29ce484222325ULL;
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    h = fnv1a(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())), h);
  }
  require(!in.bad(), "{}: read error", path.string());
  return h;
}

std::vector<std::filesystem::path> data_files(const ProblemConfig& problem) {
  if (problem.data.empty()) return {};
  if (problem.data == "fashion-mnist") {
    const std::filesystem::path dir = kFashionMnistDir;
    std::vector<std::filesystem::path> files;
    for (const char* part : {"train", "t10k"}) {
      files.push_back(dir / (std::string(part) + "-images-idx3-ubyte.gz"));
      files.push_back(dir / (std::string(part) + "-labels-idx1-ubyte.gz"));
    }
    return files;
  }
  return {problem.data};
}

std::uint64_t study_inputs_hash(const ProblemConfig& problem) {
  std::uint64_t h = stream_tag("study-inputs");
  for (const auto& file : data_files(problem)) {
    std::error_code ec;
    // A missing file is reported by the reader with its own message; here it only changes the hash.
    h = mix64(h ^ (std::filesystem::exists(file, ec) ? hash_file(file) : stream_tag("missing")));
  }
  static const std::uint64_t binary = [] {
    std::error_code ec;
    if (std::filesystem::exists("/proc/self/exe", ec)) return hash_file("/proc/self/exe");
    return fnv1a(SIGNOPT_VERSION);
  }();
  return mix64(h ^ binary);
}

}  // namespace signopt::experiment
