#pragma once
// Runs that stop moving. An optimizer whose every update is zero — a normalised step whose norm
// overflowed to ∞ (g/‖g‖ = 0), or the sign of a NaN average (sign(NaN) = 0) — leaves the iterate
// unchanged; its loss stays finite, so the finiteness checks never fire and the run would be
// reported "ok" although it did nothing. A run whose iterate is bitwise unchanged for kWindow
// consecutive steps, at a point where the exact gradient is not zero, is stalled.
#include <optional>
#include <string>

#include "signopt/core/types.hpp"

namespace signopt {
class Problem;
}

namespace signopt::experiment {

class StallDetector {
 public:
  static constexpr Index kWindow = 50;

  // Call before each step with the iterate it starts from.
  void before_step(const Vector& x);
  // Call after the step: the reason to stop the run once it has stalled for kWindow steps
  // (checking the exact gradient at x once then: a stationary point is not a stall).
  std::optional<std::string> after_step(const Vector& x, const Problem& problem);

 private:
  Vector previous_;
  Index unchanged_ = 0;
  bool stationary_ = false;  // checked and found at a stationary point: stop looking
};

}  // namespace signopt::experiment
