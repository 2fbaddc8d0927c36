#pragma once
// Which way a trace metric improves: accuracies upwards, every other metric (losses, gaps,
// gradient norms) downwards. The summary's high-probability quantile and [tuning]'s choice of
// the best combination both follow it.
#include <string_view>

namespace signopt::experiment {

inline bool higher_is_better(std::string_view metric) {
  return metric.find("accuracy") != std::string_view::npos;
}

}  // namespace signopt::experiment
