#pragma once
// f(x) = ‖x‖⁴ (the seed experiments' quartic), f* = 0 at x = 0.
//
// ∇f = 4‖x‖² x and ∇²f = 4‖x‖² I + 8 x xᵀ, so ‖∇²f(x)‖ = 12‖x‖² while ‖∇f(x)‖ = 4‖x‖³.
// Not L-smooth (the Hessian is unbounded). It is (L0, L1)-smooth for every L1 > 0 with
// L0 = sup_r (12r² − 4 L1 r³) = 16 / L1² (at r = 2/L1); we report L1 = 3, L0 = 16/9
// (Zhang et al. 2020: ‖∇²f‖ ≤ L0 + L1‖∇f‖ implies (L0, L1)-smoothness).
#include "signopt/problems/problem.hpp"

namespace signopt {

class Quartic final : public Problem {
 public:
  // d ≥ 1; the start point defaults to (1, ..., 1).
  explicit Quartic(Index d, Vector start = {});

  std::string name() const override { return "quartic"; }
  Index dim() const override { return d_; }
  double value(const Vector& x) const override;
  void gradient(const Vector& x, Vector& grad) const override;
  double value_and_gradient(const Vector& x, Vector& grad) const override;
  Vector initial_point(Rng&) const override { return start_; }
  std::optional<SmoothnessConstants> analytic_constants() const override;
  std::optional<double> lower_bound() const override { return 0.0; }
  // Convex (‖x‖⁴ is a convex increasing function of the convex ‖x‖): f* = 0 at x = 0.
  bool is_convex() const override { return true; }
  std::optional<ReferenceOptimum> closed_form_optimum() const override;

 private:
  Index d_;
  Vector start_;
};

}  // namespace signopt
