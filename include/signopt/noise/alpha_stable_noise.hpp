#pragma once
// α-stable noise z ~ S(α, β, σ, 0; S1) in Nolan's notation — the parameterisation that
// scipy.stats.levy_stable uses by default, so α = 1.5, scale 0.1 means the same law here and
// there. Its characteristic function is
//   E e^{itz} = exp(−σ^α |t|^α (1 − iβ sign(t) tan(πα/2)))          for α ≠ 1,
//   E e^{itz} = exp(−σ |t| (1 + iβ (2/π) sign(t) log|t|))           for α = 1.
// α = 2 is N(0, 2σ²) (β then plays no role); α = 1, β = 0 is Cauchy(σ); α = 1/2, β = 1 is Lévy(σ).
// The tails are P(z > x) ~ C_α (1+β)/2 σ^α x^{−α}, so E|z|^p < ∞ iff p < α (α < 2).
// In S1 with location 0 the mean is 0 whenever it exists (α > 1), even for β ≠ 0.
// S0 relates to S1 by a shift: S(α, β, σ, δ₀; S0) = S(α, β, σ, δ₀ − βσ tan(πα/2); S1) for α ≠ 1
// and = S(1, β, σ, δ₀ − (2/π)βσ log σ; S1) for α = 1; for β = 0 the two coincide.
#include "signopt/noise/noise_model.hpp"

namespace signopt {

class AlphaStableNoise final : public NoiseModel {
 public:
  // α ∈ (0, 2], β ∈ [−1, 1], scale σ finite and ≥ 0.
  AlphaStableNoise(double alpha, double beta = 0.0, double scale = 1.0);

  double alpha() const { return alpha_; }
  double beta() const { return beta_; }
  double scale() const { return scale_; }

  std::string name() const override { return "alpha-stable"; }
  std::string describe() const override;
  // Chambers–Mallows–Stuck (1976) in the form of Weron (1996), exact for every (α, β),
  // including α = 1 with β ≠ 0; α = 2 draws σ√2 · N(0, 1) directly.
  void sample(Rng& rng, std::span<double> out) const override;
  bool symmetric() const override { return beta_ == 0.0 || alpha_ == 2.0; }
  double moment_supremum() const override;
  bool zero_mean() const override { return alpha_ > 1.0; }
  // For α ≠ 1 and −1 < p < α (Samorodnitsky & Taqqu 1994, Property 1.2.17 / Zolotarev):
  //   E|z|^p = σ^p Γ(1 − p/α) / (Γ(1 − p) cos(πp/2)) · (1 + β² tan²(πα/2))^{p/(2α)}
  //            · cos((p/α) arctan(β tan(πα/2))),
  // with the p → 1 limit Γ(1 − p) cos(πp/2) → π/2. For α = 1 only β = 0 (Cauchy) is known.
  std::optional<double> absolute_moment(double p) const override;

 private:
  void sample_cms(Rng& rng, std::span<double> out) const;  // α < 2

  double alpha_;
  double beta_;
  double scale_;
  // Weron's constants for α ≠ 1: B = arctan(β tan(πα/2)) / α, S = (1 + β² tan²(πα/2))^{1/(2α)}.
  double weron_b_ = 0.0;
  double weron_s_ = 1.0;
};

}  // namespace signopt
