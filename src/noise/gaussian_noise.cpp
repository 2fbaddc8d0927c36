#include "signopt/noise/gaussian_noise.hpp"

#include <cmath>
#include <numbers>

#include "parameter_checks.hpp"
#include "signopt/core/normal_ziggurat.hpp"

namespace signopt {

GaussianNoise::GaussianNoise(double scale) : scale_(scale) {
  noise_detail::check_scale("gaussian", scale);
}

std::string GaussianNoise::describe() const {
  return fmt::format("gaussian(scale={:g}): N(0, scale^2), all moments finite", scale_);
}

void GaussianNoise::sample(Rng& rng, std::span<double> out) const {
  fill_standard_normal(rng, out);
  for (double& v : out) v *= scale_;
}

std::optional<double> GaussianNoise::absolute_moment(double p) const {
  noise_detail::check_moment_order(p);
  return std::pow(scale_, p) * std::pow(2.0, p / 2.0) * std::tgamma((p + 1.0) / 2.0) /
         std::sqrt(std::numbers::pi);
}

}  // namespace signopt
