#pragma once
// Symmetric Pareto noise: z = S · Y with a random sign S = ±1 and Y ~ Lomax (Pareto type II,
// shifted to start at 0) with shape a and scale s:
//   P(|z| > x) = (1 + x/s)^{−a} for x ≥ 0,  density a/(2s) (1 + |z|/s)^{−a−1}.
// The tail is an exact power law of index a, so E|z|^p < ∞ iff p < a and the Hill estimator is
// unbiased for the tail index; Var z = 2 s² / ((a − 1)(a − 2)) for a > 2. Lomax rather than
// the classical Pareto (type I, support |z| ≥ s) so that the density has no gap around 0.
#include "signopt/noise/noise_model.hpp"

namespace signopt {

class SymmetricParetoNoise final : public NoiseModel {
 public:
  // shape a > 0, scale s finite and ≥ 0.
  SymmetricParetoNoise(double shape, double scale = 1.0);

  double shape() const { return shape_; }
  double scale() const { return scale_; }

  std::string name() const override { return "pareto"; }
  std::string describe() const override;
  // Inversion: |z| = s (U^{−1/a} − 1), computed as s·expm1(E/a) with E = −log U.
  void sample(Rng& rng, std::span<double> out) const override;
  bool symmetric() const override { return true; }
  double moment_supremum() const override { return shape_; }
  // E|z|^p = s^p Γ(p+1) Γ(a−p) / Γ(a) for p < a.
  std::optional<double> absolute_moment(double p) const override;

 private:
  double shape_;
  double scale_;
};

}  // namespace signopt
