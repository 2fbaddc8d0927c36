#pragma once
// Adversarial workers (Bernstein et al. 2019, "signSGD with majority vote is communication
// efficient and fault tolerant"): k of the M workers replace the vector u they would honestly
// send (gradient, momentum, or γ·(...) with error feedback) before compression:
//   negate      — send −u (through the sign compressor: −sign, the adversary of Bernstein's
//                 Theorem 2);
//   random-sign — send u_i with a fair random sign per coordinate (random signs through sign);
//   scaled      — send −λ·u (λ = scale): a large reversed gradient, the attack that breaks
//                 mean aggregation.
// The adversaries are the last k workers, M − k, ..., M − 1, so the honest workers keep the
// same streams as in a run without faults. Random signs come from the worker's "fault" stream.
#include <string>

#include "signopt/core/rng.hpp"
#include "signopt/core/types.hpp"

namespace signopt {

enum class FaultKind { None, Negate, RandomSign, Scaled };
std::string to_string(FaultKind k);
FaultKind fault_kind_from_string(const std::string& name);  // none|negate|random-sign|scaled

struct FaultSpec {
  Index adversaries = 0;
  FaultKind kind = FaultKind::None;
  double scale = 10.0;  // λ of "scaled"

  // Throws Error unless 0 ≤ adversaries ≤ workers and the kind/scale make sense.
  void validate(Index workers) const;
  bool is_adversary(Index worker, Index workers) const {
    return kind != FaultKind::None && worker >= workers - adversaries;
  }
  std::string describe() const;
};

// Replaces u in place by what an adversarial worker sends.
void apply_fault(const FaultSpec& spec, Rng& rng, Vector& u);

}  // namespace signopt
