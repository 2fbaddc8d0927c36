#pragma once
// Step-size schedules γ_k, k = 1, 2, ... (the iteration index of docs/theory.md §2).
//   constant:  γ_k = γ
//   inv-sqrt:  γ_k = γ / √k
//   step:      γ_k = γ · rate^⌊(k−1)/every⌋   (step decay)
// The "theory" schedule of the experiment runner is a constant γ computed by the tuner
// (theory_tuner.hpp), so it needs no kind of its own here.
#include <cmath>
#include <string>

#include "signopt/core/types.hpp"

namespace signopt::optim {

enum class StepSizeKind { Constant, InverseSqrt, StepDecay };

std::string to_string(StepSizeKind kind);
StepSizeKind step_size_kind_from_string(const std::string& name);  // Error lists valid names

struct StepSizeSchedule {
  StepSizeKind kind = StepSizeKind::Constant;
  double gamma = 0.01;       // γ > 0
  double decay_rate = 0.5;   // step decay factor, in (0, 1]
  Index decay_every = 1000;  // step decay period in iterations, ≥ 1

  // Throws Error naming the offending field.
  void validate() const;

  double at(Index k) const noexcept {
    switch (kind) {
      case StepSizeKind::Constant:
        return gamma;
      case StepSizeKind::InverseSqrt:
        return gamma / std::sqrt(static_cast<double>(k));
      case StepSizeKind::StepDecay:
        return gamma * std::pow(decay_rate, static_cast<double>((k - 1) / decay_every));
    }
    return gamma;
  }
};

}  // namespace signopt::optim
