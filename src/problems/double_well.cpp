#include "signopt/problems/double_well.hpp"

#include "signopt/core/error.hpp"

namespace signopt {

DoubleWell::DoubleWell(Index d, Vector start) : d_(d), start_(std::move(start)) {
  require(d >= 1, "double-well: dimension must be at least 1, got {}", d);
  if (start_.size() == 0) start_ = Vector::Constant(d, 2.0);
  require(start_.size() == d, "double-well: start point has {} entries, expected {}",
          start_.size(), d);
}

double DoubleWell::value(const Vector& x) const {
  return 0.25 * (x.array().square() - 1.0).square().sum();
}

void DoubleWell::gradient(const Vector& x, Vector& grad) const {
  grad = (x.array().cube() - x.array()).matrix();
}

std::optional<SmoothnessConstants> DoubleWell::analytic_constants() const {
  return SmoothnessConstants{2.0, 3.0, std::nullopt,
                             "|h''(t)| ≤ 2 + 3|h'(t)| for h(t) = (t²−1)²/4, coordinate-wise"};
}

}  // namespace signopt
