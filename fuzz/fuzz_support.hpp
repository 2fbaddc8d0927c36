#pragma once
// Shared by the libFuzzer harnesses: a signopt::Error is the expected answer to bad input; any
// other exception escaping a reader is a bug and aborts (libFuzzer records it as a crash).
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "signopt/core/error.hpp"

namespace signopt::fuzz {

template <typename F>
void expect_only_errors(F&& f) {
  try {
    f();
  } catch (const Error&) {
    // bad input, reported: fine
  } catch (const std::exception& e) {
    std::fprintf(stderr, "not a signopt::Error: %s\n", e.what());
    std::abort();
  }
}

}  // namespace signopt::fuzz
