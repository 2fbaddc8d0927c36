#include "signopt/noise/symmetric_pareto_noise.hpp"

#include <cmath>

#include "parameter_checks.hpp"

namespace signopt {

SymmetricParetoNoise::SymmetricParetoNoise(double shape, double scale)
    : shape_(shape), scale_(scale) {
  require(std::isfinite(shape) && shape > 0.0,
          "pareto noise: shape (tail index) must be finite and > 0, got {}", shape);
  noise_detail::check_scale("pareto", scale);
}

std::string SymmetricParetoNoise::describe() const {
  return fmt::format(
      "pareto(shape={:g}, scale={:g}): random sign x Lomax, P(|z| > x) = (1 + x/scale)^-{:g}",
      shape_, scale_, shape_);
}

void SymmetricParetoNoise::sample(Rng& rng, std::span<double> out) const {
  Rng local = rng;  // kept in registers in the loop below
  const double inverse_shape = 1.0 / shape_;
  for (double& value : out) {
    // One 64-bit draw: bit 0 is the sign, bits 11..63 an open uniform U ∈ (0, 1).
    const std::uint64_t bits = local.next();
    const double u = (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53;
    const double magnitude = scale_ * std::expm1(-std::log(u) * inverse_shape);
    value = (bits & 1) != 0 ? -magnitude : magnitude;
  }
  rng = local;
}

std::optional<double> SymmetricParetoNoise::absolute_moment(double p) const {
  noise_detail::check_moment_order(p);
  if (p >= shape_) return std::numeric_limits<double>::infinity();
  return std::pow(scale_, p) *
         std::exp(std::lgamma(p + 1.0) + std::lgamma(shape_ - p) - std::lgamma(shape_));
}

}  // namespace signopt
