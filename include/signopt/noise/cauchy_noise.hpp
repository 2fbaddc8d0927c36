#pragma once
// Cauchy noise z = scale · tan(π(U − 1/2)), density 1/(π scale (1 + (z/scale)²)).
// No finite moment of order ≥ 1 and no mean: outside the theory's κ ∈ (1, 2], a negative control.
#include "signopt/noise/noise_model.hpp"

namespace signopt {

class CauchyNoise final : public NoiseModel {
 public:
  explicit CauchyNoise(double scale = 1.0);  // scale finite, ≥ 0

  double scale() const { return scale_; }

  std::string name() const override { return "cauchy"; }
  std::string describe() const override;
  void sample(Rng& rng, std::span<double> out) const override;
  bool symmetric() const override { return true; }
  double moment_supremum() const override { return 1.0; }
  // E|z|^p = scale^p / cos(πp/2) for p < 1.
  std::optional<double> absolute_moment(double p) const override;

 private:
  double scale_;
};

}  // namespace signopt
