#pragma once
// Constructor checks shared by the noise models (private to src/noise/).
#include <cmath>
#include <string_view>

#include "signopt/core/error.hpp"

namespace signopt::noise_detail {

inline void check_scale(std::string_view model, double scale) {
  require(std::isfinite(scale) && scale >= 0.0, "{} noise: scale must be finite and >= 0, got {}",
          model, scale);
}

inline void check_moment_order(double p) {
  require(std::isfinite(p) && p > 0.0, "absolute moment order p must be finite and > 0, got {}", p);
}

}  // namespace signopt::noise_detail
