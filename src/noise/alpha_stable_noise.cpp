#include "signopt/noise/alpha_stable_noise.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "parameter_checks.hpp"
#include "signopt/core/normal_ziggurat.hpp"
#include "signopt/core/trig.hpp"
#include "signopt/core/types.hpp"

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
  // In chunks: V and U (W = −log U) are drawn in the same order as one at a time, then the
  // sines, cosines, logarithms and exponentials are taken over whole arrays with vectorised
  // code (sin_cos, and Eigen's log and exp; about 4× faster than libm calls per entry). The
  // arrays are padded to a multiple of kPacket, so every entry takes the vectorised path and
  // never a scalar remainder: a sample is the same whether drawn alone or with others.
  const double inverse_alpha = 1.0 / alpha_;
  const double exponent = (1.0 - alpha_) / alpha_;
  const double factor = scale_ * weron_s_;
  constexpr Index kChunk = 256, kPacket = 16;
  using Chunk = Eigen::Array<double, Eigen::Dynamic, 1, 0, kChunk, 1>;
  Chunk v, u, t, diff, cos_v, sin_t, c, x;
  auto span = [](Chunk& a) { return std::span<double>(a.data(), static_cast<std::size_t>(a.size())); };
  for (std::size_t start = 0; start < out.size(); start += kChunk) {
    const auto n = std::min<Index>(kChunk, static_cast<Index>(out.size() - start));
    const Index padded = (n + kPacket - 1) / kPacket * kPacket;
    for (auto* a : {&v, &u}) a->setConstant(padded, 0.5);  // padding: finite, unused
    for (Index i = 0; i < n; ++i) {
      v[i] = pi * (rng.uniform_open() - 0.5);
      u[i] = rng.uniform_open();
    }
    t = alpha_ * (v + weron_b_);
    diff = v - t;
    for (auto* a : {&cos_v, &sin_t, &c}) a->resize(padded);
    sin_cos(span(v), {}, span(cos_v));
    sin_cos(span(t), span(sin_t), {});
    sin_cos(span(diff), {}, span(c));
    c = c.max(0.0);  // cos(V − t) > 0 on the open interval; this guards rounding at its ends
    x = factor * sin_t * (exponent * (c / -u.log()).log() - inverse_alpha * cos_v.log()).exp();
    std::copy(x.data(), x.data() + n, out.begin() + static_cast<std::ptrdiff_t>(start));
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
