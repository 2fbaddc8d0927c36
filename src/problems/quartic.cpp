#include "signopt/problems/quartic.hpp"

#include "signopt/core/error.hpp"

namespace signopt {

Quartic::Quartic(Index d, Vector start) : d_(d), start_(std::move(start)) {
  require(d >= 1, "quartic: dimension must be at least 1, got {}", d);
  if (start_.size() == 0) start_ = Vector::Ones(d);
  require(start_.size() == d, "quartic: start point has {} entries, expected {}", start_.size(), d);
}

double Quartic::value(const Vector& x) const {
  const double r2 = x.squaredNorm();
  return r2 * r2;
}

void Quartic::gradient(const Vector& x, Vector& grad) const { grad = (4.0 * x.squaredNorm()) * x; }

double Quartic::value_and_gradient(const Vector& x, Vector& grad) const {
  const double r2 = x.squaredNorm();
  grad = (4.0 * r2) * x;
  return r2 * r2;
}

std::optional<SmoothnessConstants> Quartic::analytic_constants() const {
  return SmoothnessConstants{16.0 / 9.0, 3.0, std::nullopt,
                             "‖∇²f‖ = 12‖x‖² ≤ L0 + L1·4‖x‖³ with L0 = 16/L1², L1 = 3"};
}

std::optional<ReferenceOptimum> Quartic::closed_form_optimum() const {
  ReferenceOptimum opt;
  opt.value = 0.0;
  opt.point = Vector::Zero(d_);
  opt.method = "closed form";
  opt.note = "closed form: f* = 0 at x = 0 for f(x) = ||x||^4";
  return opt;
}

}  // namespace signopt
