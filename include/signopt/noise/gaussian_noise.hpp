#pragma once
// Gaussian noise z = scale · N(0, 1): every moment finite, the bounded-variance baseline (κ = 2).
#include "signopt/noise/noise_model.hpp"

namespace signopt {

class GaussianNoise final : public NoiseModel {
 public:
  // scale = standard deviation, finite and ≥ 0 (0 gives exact gradients).
  explicit GaussianNoise(double scale = 1.0);

  double scale() const { return scale_; }

  std::string name() const override { return "gaussian"; }
  std::string describe() const override;
  // Ziggurat sampler (core/normal_ziggurat.hpp).
  void sample(Rng& rng, std::span<double> out) const override;
  bool symmetric() const override { return true; }
  double moment_supremum() const override { return std::numeric_limits<double>::infinity(); }
  // E|z|^p = scale^p 2^{p/2} Γ((p+1)/2) / √π.
  std::optional<double> absolute_moment(double p) const override;

 private:
  double scale_;
};

}  // namespace signopt
