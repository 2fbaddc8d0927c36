#include "signopt/noise/alpha_stable_noise.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "parameter_checks.hpp"
#include "signopt/core/normal_ziggurat.hpp"

namespace signopt {

AlphaStableNoise::AlphaStableNoise(double alpha, double beta, double scale)
    : alpha_(alpha), beta_(beta), scale_(scale) {
  require(std::isfinite(alpha) && alpha > 0.0 && alpha <= 2.0,
          "alpha-stable noise: alpha (stability index) must be in (0, 2], got {}", alpha);
  require(std::isfinite(beta) && beta >= -1.0 && beta <= 1.0,
          "alpha-stable noise: beta (skewness) must be in [-1, 1], got {}", beta);
  noise_detail::check_scale("alpha-stable", scale);
  if (alpha_ != 1.0 && alpha_ != 2.0) {
    const double zeta = beta_ * std::tan(std::numbers::pi * alpha_ / 2.0);  // β tan(πα/2)
    weron_b_ = std::atan(zeta) / alpha_;
    weron_s_ = std::pow(1.0 + zeta * zeta, 1.0 / (2.0 * alpha_));
  }
}

std::string AlphaStableNoise::describe() const {
  return fmt::format(
      "{}alpha-stable(alpha={:g}, beta={:g}, scale={:g}, S1): E|z|^p finite iff p < {:g}",
      symmetric() ? "symmetric " : "skewed ", alpha_, beta_, scale_, moment_supremum());
}

double AlphaStableNoise::moment_supremum() const {
  return alpha_ == 2.0 ? std::numeric_limits<double>::infinity() : alpha_;
}

void AlphaStableNoise::sample(Rng& rng, std::span<double> out) const {
  if (scale_ == 0.0) {
    std::fill(out.begin(), out.end(), 0.0);
    return;
  }
  if (alpha_ == 2.0) {
    // S(2, β, σ; S1) = N(0, 2σ²) for every β.
    const double sd = scale_ * std::numbers::sqrt2;
    fill_standard_normal(rng, out);
    for (double& v : out) v *= sd;
    return;
  }
  // V uniform on (−π/2, π/2), W standard exponential, independent (Weron 1996, eqs. (3)–(4)).
  // The loops draw from a local copy of the generator, which the compiler keeps in registers.
  Rng local = rng;
  sample_cms(local, out);
  rng = local;
}

void AlphaStableNoise::sample_cms(Rng& rng, std::span<double> out) const {
  constexpr double pi = std::numbers::pi;
  if (alpha_ == 1.0) {
    if (beta_ == 0.0) {  // the formula below reduces to tan V: Cauchy(σ)
      for (double& v : out) v = scale_ * std::tan(pi * (rng.uniform_open() - 0.5));
      return;
    }
    //   X = (2/π) [ (π/2 + βV) tan V − β log( (π/2) W cos V / (π/2 + βV) ) ],
    // then z = σX + (2/π) β σ log σ, the S1 scaling for α = 1.
    const double shift = 2.0 / pi * beta_ * scale_ * std::log(scale_);
    for (double& v : out) {
      const double angle = pi * (rng.uniform_open() - 0.5);
      const double w = rng.exponential();
      const double skewed_angle = pi / 2.0 + beta_ * angle;
      const double x = 2.0 / pi *
                       (skewed_angle * std::tan(angle) -
                        beta_ * std::log(pi / 2.0 * w * std::cos(angle) / skewed_angle));
      v = scale_ * x + shift;
    }
    return;
  }
  // α ≠ 1:
  //   X = S · sin(α(V + B)) / (cos V)^{1/α} · (cos(V − α(V + B)) / W)^{(1−α)/α},
  // evaluated through logarithms (one exp instead of two pow, and no intermediate overflow).
  const double inverse_alpha = 1.0 / alpha_;
  const double exponent = (1.0 - alpha_) / alpha_;
  const double factor = scale_ * weron_s_;
  for (double& v : out) {
    const double angle = pi * (rng.uniform_open() - 0.5);
    const double w = rng.exponential();
    const double t = alpha_ * (angle + weron_b_);
    // cos(V − t) > 0 on the open interval; max() guards the rounding at its ends.
    const double c = std::max(std::cos(angle - t), 0.0);
    const double log_magnitude =
        exponent * std::log(c / w) - inverse_alpha * std::log(std::cos(angle));
    v = factor * std::sin(t) * std::exp(log_magnitude);
  }
}

std::optional<double> AlphaStableNoise::absolute_moment(double p) const {
  noise_detail::check_moment_order(p);
  constexpr double pi = std::numbers::pi;
  if (alpha_ == 2.0) {  // N(0, 2σ²)
    const double sd = scale_ * std::numbers::sqrt2;
    return std::pow(sd, p) * std::pow(2.0, p / 2.0) * std::tgamma((p + 1.0) / 2.0) / std::sqrt(pi);
  }
  if (p >= alpha_) return std::numeric_limits<double>::infinity();
  if (alpha_ == 1.0) {
    if (beta_ != 0.0) return std::nullopt;
    return std::pow(scale_, p) / std::cos(pi * p / 2.0);
  }
  // Γ(1 − p) cos(πp/2) → π/2 as p → 1.
  const double denominator = p == 1.0 ? pi / 2.0 : std::tgamma(1.0 - p) * std::cos(pi * p / 2.0);
  const double zeta = beta_ * std::tan(pi * alpha_ / 2.0);
  return std::pow(scale_, p) * std::tgamma(1.0 - p / alpha_) / denominator *
         std::pow(1.0 + zeta * zeta, p / (2.0 * alpha_)) * std::cos(p / alpha_ * std::atan(zeta));
}

}  // namespace signopt
