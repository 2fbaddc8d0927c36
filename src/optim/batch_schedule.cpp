#include "signopt/optim/batch_schedule.hpp"

#include <cmath>

#include "signopt/core/error.hpp"

namespace signopt::optim {

std::string to_string(BatchKind kind) {
  switch (kind) {
    case BatchKind::Constant: return "constant";
    case BatchKind::Linear: return "linear";
    case BatchKind::Geometric: return "geometric";
  }
  return "?";
}

BatchKind batch_kind_from_string(const std::string& name) {
  for (auto kind : {BatchKind::Constant, BatchKind::Linear, BatchKind::Geometric}) {
    if (to_string(kind) == name) return kind;
  }
  fail("unknown batch schedule '{}' (valid: constant, linear, geometric)", name);
}

void BatchSchedule::validate() const {
  require(batch >= 1, "batch size must be at least 1, got {}", batch);
  require(std::isfinite(ratio) && ratio >= 1, "batch growth ratio must be finite and >= 1, got {}",
          ratio);
  require(max_batch >= batch, "maximum batch size ({}) must be at least the batch size ({})",
          max_batch, batch);
}

Index BatchSchedule::at(Index k) const noexcept {
  switch (kind) {
    case BatchKind::Constant: return batch;
    case BatchKind::Linear: {
      // B·k without overflow: compare before multiplying.
      if (k >= max_batch / batch + 1) return max_batch;
      return std::min(max_batch, batch * k);
    }
    case BatchKind::Geometric: {
      const double b = std::ceil(static_cast<double>(batch) *
                                 std::pow(ratio, static_cast<double>(k - 1)));
      if (!(b < static_cast<double>(max_batch))) return max_batch;
      return static_cast<Index>(b);
    }
  }
  return batch;
}

}  // namespace signopt::optim
