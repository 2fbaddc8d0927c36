#pragma once
// f(x) = ½ (x − x*)ᵀ A (x − x*), A symmetric positive semi-definite.
// L-smooth with L = λ_max(A), hence (L0, L1) = (λ_max(A), 0); f* = 0 at x*.
#include "signopt/problems/problem.hpp"

namespace signopt {

class Quadratic final : public Problem {
 public:
  // A must be square, symmetric and PSD (checked). `minimizer` defaults to 0, `start` to 1.
  explicit Quadratic(Matrix a, Vector minimizer = {}, Vector start = {});
  // The diagonal case A = diag(eigenvalues): the gradient costs O(d).
  static Quadratic diagonal(const Vector& eigenvalues, Vector minimizer = {}, Vector start = {});

  std::string name() const override { return "quadratic"; }
  Index dim() const override { return d_; }
  double value(const Vector& x) const override;
  void gradient(const Vector& x, Vector& grad) const override;
  Vector initial_point(Rng&) const override { return start_; }
  std::optional<SmoothnessConstants> analytic_constants() const override;
  std::optional<double> lower_bound() const override { return 0.0; }
  // Convex (A ⪰ 0 is checked, and there is no linear term): f* = 0 at x*.
  bool is_convex() const override { return true; }
  std::optional<ReferenceOptimum> closed_form_optimum() const override;

  const Vector& minimizer() const { return minimizer_; }

 private:
  Quadratic() = default;

  Index d_ = 0;
  Matrix a_;  // empty in the diagonal case
  bool diagonal_ = false;
  Vector diag_;
  Vector minimizer_;
  Vector start_;
  double lambda_max_ = 0.0;
};

}  // namespace signopt
