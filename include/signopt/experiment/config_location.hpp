#pragma once
// Errors that arise from a config's settings but are found later (building the problem reads
// the data, splits and standardises it) are reported with the config file and section, so that
// every error names where it comes from.
#include <string>
#include <utility>

#include "signopt/core/error.hpp"
#include "signopt/experiment/config.hpp"

namespace signopt::experiment {

// Runs f(); an Error it throws gains the prefix "FILE: SECTION: " unless it names the file
// already.
template <typename F>
auto with_config_location(const ExperimentConfig& config, const char* section, F&& f) -> decltype(f()) {
  try {
    return std::forward<F>(f)();
  } catch (const Error& e) {
    const std::string source = config.source.string();
    const std::string what = e.what();
    if (what.rfind(source, 0) == 0) throw;
    throw Error(source + ": " + section + ": " + what);
  }
}

}  // namespace signopt::experiment
