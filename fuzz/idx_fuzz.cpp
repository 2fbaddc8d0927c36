// libFuzzer harness: the IDX reader (images and labels, plain or gzip) on arbitrary bytes. The
// reader takes a path, so each input goes to a file in /dev/shm (or /tmp) first.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "fuzz_support.hpp"
#include "signopt/data/idx_reader.hpp"

namespace {

std::filesystem::path scratch_file() {
  const std::filesystem::path dir = std::filesystem::exists("/dev/shm") ? "/dev/shm" : "/tmp";
  return dir / ("signopt-idx-fuzz-" + std::to_string(::getpid()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path path = scratch_file();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  signopt::fuzz::expect_only_errors([&] { (void)signopt::read_idx_images(path); });
  signopt::fuzz::expect_only_errors([&] { (void)signopt::read_idx_labels(path); });
  return 0;
}
