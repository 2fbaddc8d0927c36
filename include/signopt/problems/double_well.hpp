#pragma once
// A non-convex (L0, L1)-smooth function that is not L-smooth:
//   f(x) = Σ_i h(x_i),  h(t) = (t² − 1)² / 4,   f* = 0 at every x ∈ {−1, +1}^d.
//
// h'(t) = t³ − t, h''(t) = 3t² − 1: the Hessian is diagonal and unbounded (not L-smooth), and
// f is non-convex (h'' < 0 on |t| < 1/√3; x = 0 is a saddle/maximum). For every t,
// |h''(t)| ≤ 2 + 3|h'(t)| (equality at t = ±1), hence
//   ‖∇²f(x)‖₂ = max_i |h''(x_i)| ≤ 2 + 3‖∇f(x)‖_∞ ≤ 2 + 3‖∇f(x)‖₂,
// i.e. (L0, L1) = (2, 3) by the Hessian criterion of Zhang et al. 2020.
#include "signopt/problems/problem.hpp"

namespace signopt {

class DoubleWell final : public Problem {
 public:
  // d ≥ 1; the start point defaults to (2, ..., 2).
  explicit DoubleWell(Index d, Vector start = {});

  std::string name() const override { return "double-well"; }
  Index dim() const override { return d_; }
  double value(const Vector& x) const override;
  void gradient(const Vector& x, Vector& grad) const override;
  Vector initial_point(Rng&) const override { return start_; }
  std::optional<SmoothnessConstants> analytic_constants() const override;
  std::optional<double> lower_bound() const override { return 0.0; }

 private:
  Index d_;
  Vector start_;
};

}  // namespace signopt
