#include "signopt/distributed/fault_model.hpp"

#include <cmath>

#include "signopt/core/error.hpp"

namespace signopt {

std::string to_string(FaultKind k) {
  switch (k) {
    case FaultKind::None:
      return "none";
    case FaultKind::Negate:
      return "negate";
    case FaultKind::RandomSign:
      return "random-sign";
    case FaultKind::Scaled:
      return "scaled";
  }
  return "?";
}

FaultKind fault_kind_from_string(const std::string& name) {
  for (FaultKind k : {FaultKind::None, FaultKind::Negate, FaultKind::RandomSign, FaultKind::Scaled})
    if (to_string(k) == name) return k;
  fail("unknown fault kind '{}' (valid: none, negate, random-sign, scaled)", name);
}

void FaultSpec::validate(Index workers) const {
  require(adversaries >= 0 && adversaries <= workers,
          "faults: the number of adversarial workers must be in [0, {}] (the worker count), got {}",
          workers, adversaries);
  require(kind != FaultKind::None || adversaries == 0,
          "faults: {} adversarial workers need a fault kind (negate, random-sign, scaled)",
          adversaries);
  if (kind == FaultKind::Scaled)
    require(std::isfinite(scale) && scale > 0.0,
            "faults: scale must be finite and positive, got {}", scale);
}

std::string FaultSpec::describe() const {
  if (kind == FaultKind::None || adversaries == 0) return "none";
  if (kind == FaultKind::Scaled) return fmt::format("{} × scaled(λ={})", adversaries, scale);
  return fmt::format("{} × {}", adversaries, to_string(kind));
}

void apply_fault(const FaultSpec& spec, Rng& rng, Vector& u) {
  switch (spec.kind) {
    case FaultKind::None:
      return;
    case FaultKind::Negate:
      u = -u;
      return;
    case FaultKind::RandomSign:
      for (Index i = 0; i < u.size(); ++i) u[i] = std::abs(u[i]) * rng.rademacher();
      return;
    case FaultKind::Scaled:
      u *= -spec.scale;
      return;
  }
}

}  // namespace signopt
