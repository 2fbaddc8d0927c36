#include "signopt/experiment/stall_detector.hpp"

#include <fmt/format.h>

#include "signopt/problems/problem.hpp"

namespace signopt::experiment {

void StallDetector::before_step(const Vector& x) {
  if (!stationary_) previous_ = x;  // no allocation after the first step
}

std::optional<std::string> StallDetector::after_step(const Vector& x, const Problem& problem) {
  if (stationary_) return std::nullopt;
  // Bitwise comparison: any change, however small, is progress.
  if (previous_.size() != x.size() || previous_ != x) {
    unchanged_ = 0;
    return std::nullopt;
  }
  if (++unchanged_ < kWindow) return std::nullopt;
  Vector g;
  (void)problem.value_and_gradient(x, g);
  if (g.allFinite() && (g.array() == 0.0).all()) {
    stationary_ = true;  // an exact stationary point: staying there is right
    return std::nullopt;
  }
  return fmt::format(
      "no progress: the iterate did not change in {} consecutive steps although the gradient there "
      "is not zero (every update was zero or NaN: an overflowed norm, or the sign of a NaN estimate)",
      kWindow);
}

}  // namespace signopt::experiment
