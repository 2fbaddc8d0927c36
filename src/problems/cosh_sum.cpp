#include "signopt/problems/cosh_sum.hpp"

#include <cmath>

#include "signopt/core/error.hpp"

namespace signopt {

CoshSum::CoshSum(Vector a, Vector start) : a_(std::move(a)), start_(std::move(start)) {
  require(a_.size() >= 1, "cosh-sum: needs at least one weight a_i");
  require(a_.allFinite() && (a_.array() > 0).all(),
          "cosh-sum: every weight a_i must be finite and > 0");
  if (start_.size() == 0) start_ = Vector::Constant(a_.size(), 2.0);
  require(start_.size() == a_.size(), "cosh-sum: start point has {} entries, expected {}",
          start_.size(), a_.size());
}

double CoshSum::value(const Vector& x) const {
  double f = 0.0;
  // cosh(t) − 1 = 2 sinh²(t/2): no cancellation near the minimum.
  for (Index i = 0; i < x.size(); ++i) {
    const double s = std::sinh(0.5 * x[i]);
    f += a_[i] * 2.0 * s * s;
  }
  return f;
}

void CoshSum::gradient(const Vector& x, Vector& grad) const {
  grad.resize(x.size());
  for (Index i = 0; i < x.size(); ++i) grad[i] = a_[i] * std::sinh(x[i]);
}

double CoshSum::value_and_gradient(const Vector& x, Vector& grad) const {
  gradient(x, grad);
  return value(x);
}

std::optional<SmoothnessConstants> CoshSum::analytic_constants() const {
  return SmoothnessConstants{
      a_.maxCoeff(), 1.0, std::nullopt,
      "a_i cosh(x_i) ≤ a_i + |a_i sinh(x_i)|: L0 = max a_i, L1 = 1 (proved)"};
}

}  // namespace signopt
