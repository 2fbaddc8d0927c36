#pragma once
// A separable (L0, L1)-smooth function with exact constants and a known minimum, for checking
// the theorems' explicit bounds (docs/estimate.md, the theory check):
//   f(x) = Σ_i a_i (cosh(x_i) − 1),   a_i > 0,   f* = 0 at x = 0.
//
// ∂_i f = a_i sinh(x_i), ∂²_ii f = a_i cosh(x_i), the Hessian is diagonal. Since
// cosh t ≤ 1 + |sinh t|,
//   ‖∇²f(x)‖₂ = max_i a_i cosh(x_i) ≤ max_i a_i + max_i |a_i sinh(x_i)| ≤ L0 + L1 ‖∇f(x)‖₂
// with L0 = max_i a_i and L1 = 1. Integrating the Hessian along [x, y] gives the theorems'
// Assumption 2, ‖∇f(x) − ∇f(y)‖ ≤ (L0 + L1 sup_{u∈[x,y]} ‖∇f(u)‖)‖x − y‖. The constants are
// tight: at x = 0 the Hessian is diag(a) (so L0 cannot be smaller), and as x_i → ∞ the ratio
// ∂²_ii f / |∂_i f| → 1 (so L1 cannot be smaller). f is not L-smooth (cosh is unbounded).
#include "signopt/problems/problem.hpp"

namespace signopt {

class CoshSum final : public Problem {
 public:
  // a: the weights a_i > 0 (the Hessian at the minimiser); the start defaults to (2, ..., 2).
  explicit CoshSum(Vector a, Vector start = {});

  std::string name() const override { return "cosh-sum"; }
  Index dim() const override { return a_.size(); }
  double value(const Vector& x) const override;
  void gradient(const Vector& x, Vector& grad) const override;
  double value_and_gradient(const Vector& x, Vector& grad) const override;
  Vector initial_point(Rng&) const override { return start_; }
  // (L0, L1) = (max a_i, 1), proved above.
  std::optional<SmoothnessConstants> analytic_constants() const override;
  // The exact minimum f* = f(0) = 0.
  std::optional<double> lower_bound() const override { return 0.0; }
  bool lower_bound_is_minimum() const override { return true; }

 private:
  Vector a_, start_;
};

}  // namespace signopt
