#include "signopt/core/normal_ziggurat.hpp"

#include <cmath>
#include <numbers>

namespace signopt {
namespace detail {

ZigguratTables build_ziggurat_tables() noexcept {
  ZigguratTables t;
  constexpr int n = ZigguratTables::kLayers;
  const double r = ZigguratTables::kTailStart;
  const auto density = [](double x) { return std::exp(-0.5 * x * x); };
  // V = r f(r) + ∫_r^∞ f = r f(r) + √(π/2) erfc(r/√2).
  const double v =
      r * density(r) + std::sqrt(std::numbers::pi / 2.0) * std::erfc(r / std::numbers::sqrt2);
  t.layer_area = v;
  t.x[0] = v / density(r);
  t.x[1] = r;
  // Each rectangle i has area x[i] (f(x[i+1]) − f(x[i])) = V, which gives x[i+1].
  for (int i = 1; i < n - 1; ++i) {
    t.x[static_cast<std::size_t>(i + 1)] =
        std::sqrt(-2.0 * std::log(v / t.x[static_cast<std::size_t>(i)] +
                                  density(t.x[static_cast<std::size_t>(i)])));
  }
  t.x[n] = 0.0;
  for (std::size_t i = 0; i <= static_cast<std::size_t>(n); ++i) t.f[i] = density(t.x[i]);
  t.f[0] = density(r);  // the base slice's height
  return t;
}

bool ziggurat_edge(Rng& rng, const ZigguratTables& t, unsigned layer, double x,
                   double& value) noexcept {
  if (layer == 0) {
    // Tail x > r (Marsaglia 1964): with a = E1/r, b = E2 for standard exponentials E1, E2,
    // accept r + a when 2b > a²; the accepted r + a has density ∝ exp(−x²/2) on (r, ∞).
    const double r = ZigguratTables::kTailStart;
    for (;;) {
      const double a = -std::log(rng.uniform_open()) / r;
      const double b = -std::log(rng.uniform_open());
      if (b + b > a * a) {
        value = r + a;
        return true;
      }
    }
  }
  // Wedge: a uniform height inside the rectangle, accepted if under the curve.
  const double y = t.f[layer] + rng.uniform() * (t.f[layer + 1] - t.f[layer]);
  if (y < std::exp(-0.5 * x * x)) {
    value = x;
    return true;
  }
  return false;
}

}  // namespace detail

void fill_standard_normal(Rng& rng, std::span<double> out) noexcept {
  // A local copy of the generator lets the compiler keep its state in registers.
  Rng local = rng;
  const detail::ZigguratTables& tables = detail::ziggurat_tables();
  for (double& v : out) v = standard_normal(local, tables);
  rng = local;
}

}  // namespace signopt
