#include "signopt/noise/cauchy_noise.hpp"

#include <cmath>
#include <numbers>

#include "parameter_checks.hpp"

namespace signopt {

CauchyNoise::CauchyNoise(double scale) : scale_(scale) {
  noise_detail::check_scale("cauchy", scale);
}

std::string CauchyNoise::describe() const {
  return fmt::format("cauchy(scale={:g}): no mean, E|z|^p finite only for p < 1", scale_);
}

void CauchyNoise::sample(Rng& rng, std::span<double> out) const {
  Rng local = rng;  // kept in registers in the loop below
  // Inversion of F(z) = 1/2 + atan(z/scale)/π; U ∈ (0, 1) keeps the angle off ±π/2.
  for (double& v : out) v = scale_ * std::tan(std::numbers::pi * (local.uniform_open() - 0.5));
  rng = local;
}

std::optional<double> CauchyNoise::absolute_moment(double p) const {
  noise_detail::check_moment_order(p);
  if (p >= 1.0) return std::numeric_limits<double>::infinity();
  return std::pow(scale_, p) / std::cos(std::numbers::pi * p / 2.0);
}

}  // namespace signopt
