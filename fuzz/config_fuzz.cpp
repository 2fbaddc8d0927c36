// libFuzzer harness: the experiment config loader (TOML text → ExperimentConfig).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "signopt/experiment/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  signopt::fuzz::expect_only_errors([&] {
    const auto config = signopt::experiment::parse_config(text, "fuzz.toml");
    (void)config.methods.size();
  });
  return 0;
}
