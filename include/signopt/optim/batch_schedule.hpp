#pragma once
// Batch-size schedules B_k for minibatch-SignSGD (docs/theory.md §2, Alg. 2):
//   constant:   B_k = B
//   linear:     B_k = min(B_max, B · k)
//   geometric:  B_k = min(B_max, ⌈B · ρ^{k−1}⌉)
// The theory (docs/theory.md §3) uses a constant B; growing batches are the usual practical variant
// that lowers the noise term 8‖σ⃗‖₁ / B^{(κ−1)/κ} as the run goes on.
#include <string>

#include "signopt/core/types.hpp"

namespace signopt::optim {

enum class BatchKind { Constant, Linear, Geometric };

std::string to_string(BatchKind kind);
BatchKind batch_kind_from_string(const std::string& name);  // Error lists valid names

struct BatchSchedule {
  BatchKind kind = BatchKind::Constant;
  Index batch = 1;              // B ≥ 1
  double ratio = 1.1;           // ρ ≥ 1 (geometric only)
  Index max_batch = 1'000'000;  // cap, ≥ B

  void validate() const;  // throws Error naming the offending field
  Index at(Index k) const noexcept;
};

}  // namespace signopt::optim
