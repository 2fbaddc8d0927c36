#include "signopt/optim/step_size_schedule.hpp"

#include "signopt/core/error.hpp"

namespace signopt::optim {

std::string to_string(StepSizeKind kind) {
  switch (kind) {
    case StepSizeKind::Constant: return "constant";
    case StepSizeKind::InverseSqrt: return "inv-sqrt";
    case StepSizeKind::StepDecay: return "step";
  }
  return "?";
}

StepSizeKind step_size_kind_from_string(const std::string& name) {
  for (auto kind : {StepSizeKind::Constant, StepSizeKind::InverseSqrt, StepSizeKind::StepDecay}) {
    if (to_string(kind) == name) return kind;
  }
  fail("unknown step-size schedule '{}' (valid: constant, inv-sqrt, step)", name);
}

void StepSizeSchedule::validate() const {
  require(std::isfinite(gamma) && gamma > 0, "step size gamma must be finite and > 0, got {}",
          gamma);
  require(decay_rate > 0 && decay_rate <= 1, "step decay rate must be in (0, 1], got {}",
          decay_rate);
  require(decay_every >= 1, "step decay period must be at least 1 iteration, got {}",
          decay_every);
}

}  // namespace signopt::optim
