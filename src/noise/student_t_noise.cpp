#include "signopt/noise/student_t_noise.hpp"

#include <cmath>
#include <numbers>

#include "parameter_checks.hpp"

namespace signopt {

StudentTNoise::StudentTNoise(double nu, double scale) : nu_(nu), scale_(scale) {
  require(std::isfinite(nu) && nu > 0.0,
          "student-t noise: nu (degrees of freedom) must be finite and > 0, got {}", nu);
  noise_detail::check_scale("student-t", scale);
}

std::string StudentTNoise::describe() const {
  return fmt::format("student-t(nu={:g}, scale={:g}): E|z|^p finite iff p < {:g}", nu_, scale_,
                     nu_);
}

void StudentTNoise::sample(Rng& rng, std::span<double> out) const {
  Rng local = rng;  // kept in registers in the loop below
  // Bailey (1994), "Polar generation of random variates with the t-distribution", Math. Comp.
  // 62(206): for (u, v) uniform on the unit disc and w = u² + v²,
  //   T = u · √(ν (w^{−2/ν} − 1) / w)
  // has the t_ν law (as ν → ∞ this becomes the Marsaglia polar normal). w^{−2/ν} − 1 is
  // computed as expm1(−(2/ν) log w), which is exact to rounding even for large ν.
  const double minus_two_over_nu = -2.0 / nu_;
  for (double& value : out) {
    double u, w;
    do {
      u = 2.0 * local.uniform() - 1.0;
      const double v = 2.0 * local.uniform() - 1.0;
      w = u * u + v * v;
    } while (w >= 1.0 || w == 0.0);
    value = scale_ * u * std::sqrt(nu_ * std::expm1(minus_two_over_nu * std::log(w)) / w);
  }
  rng = local;
}

std::optional<double> StudentTNoise::absolute_moment(double p) const {
  noise_detail::check_moment_order(p);
  if (p >= nu_) return std::numeric_limits<double>::infinity();
  const double log_ratio = std::lgamma((p + 1.0) / 2.0) + std::lgamma((nu_ - p) / 2.0) -
                           std::lgamma(nu_ / 2.0) - 0.5 * std::log(std::numbers::pi);
  return std::pow(scale_, p) * std::pow(nu_, p / 2.0) * std::exp(log_ratio);
}

}  // namespace signopt
