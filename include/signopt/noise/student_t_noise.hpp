#pragma once
// Student-t noise z = scale · T_ν, T_ν with density ∝ (1 + t²/ν)^{−(ν+1)/2}.
// E|z|^p < ∞ iff p < ν, so ν ∈ (1, 2] gives heavy tails with a finite mean but infinite
// variance; Var z = scale² ν/(ν − 2) for ν > 2. ν = 1 is Cauchy, ν → ∞ Gaussian.
#include "signopt/noise/noise_model.hpp"

namespace signopt {

class StudentTNoise final : public NoiseModel {
 public:
  // ν finite and > 0, scale finite and ≥ 0.
  StudentTNoise(double nu, double scale = 1.0);

  double nu() const { return nu_; }
  double scale() const { return scale_; }

  std::string name() const override { return "student-t"; }
  std::string describe() const override;
  // Bailey's (1994) polar method, exact for every ν > 0.
  void sample(Rng& rng, std::span<double> out) const override;
  bool symmetric() const override { return true; }
  double moment_supremum() const override { return nu_; }
  // E|z|^p = scale^p ν^{p/2} Γ((p+1)/2) Γ((ν−p)/2) / (√π Γ(ν/2)) for p < ν.
  std::optional<double> absolute_moment(double p) const override;

 private:
  double nu_;
  double scale_;
};

}  // namespace signopt
