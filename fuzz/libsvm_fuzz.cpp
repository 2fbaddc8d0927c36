// libFuzzer harness: the LIBSVM reader on arbitrary text (make fuzz).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "signopt/data/libsvm_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  signopt::fuzz::expect_only_errors([&] {
    const signopt::Dataset d = signopt::parse_libsvm(text, "fuzz.svm");
    (void)d.nnz();
  });
  return 0;
}
