#include "signopt/core/normal_ziggurat.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "signopt/core/ks_test.hpp"
#include "signopt/core/special_functions.hpp"

namespace signopt {
namespace {

TEST(Ziggurat, TablesCloseUp) {
  const auto& t = detail::ziggurat_tables();
  EXPECT_EQ(t.x[1], detail::ZigguratTables::kTailStart);
  for (int i = 0; i < detail::ZigguratTables::kLayers; ++i) ASSERT_GT(t.x[i], t.x[i + 1]) << i;
  EXPECT_EQ(t.x[256], 0.0);
  // The top slice [0, x_255] × [f(x_255), 1] must have the same area V as every other: this is
  // what pins r, and it fails if the recurrence or V is wrong.
  EXPECT_NEAR(t.x[255] * (1.0 - t.f[255]) / t.layer_area, 1.0, 1e-9);
  EXPECT_NEAR(t.x[100] * (t.f[101] - t.f[100]) / t.layer_area, 1.0, 1e-12);
}

TEST(Ziggurat, MatchesTheNormalLaw) {
  Rng rng(2024);
  std::vector<double> z(200000);
  fill_standard_normal(rng, z);
  EXPECT_GT(ks_test(z, normal_cdf).p_value, 1e-3);
  double s1 = 0, s2 = 0, s4 = 0;
  for (double v : z) {
    s1 += v;
    s2 += v * v;
    s4 += v * v * v * v;
  }
  const double n = static_cast<double>(z.size());
  EXPECT_NEAR(s1 / n, 0.0, 0.012);  // sd 0.0022
  EXPECT_NEAR(s2 / n, 1.0, 0.02);   // sd 0.0032
  EXPECT_NEAR(s4 / n, 3.0, 0.15);   // sd 0.022
}

TEST(Ziggurat, BandProbabilitiesOnBothSides) {
  // Counts in bands of z, each side separately, against n·P(band) (5 standard deviations).
  // The outer bands are where the ziggurat's wedges are large relative to the density, so
  // a wrong wedge test shows up there; the ±(r, ∞) bands check the tail's mass and that the
  // sign is independent of the layer (the tail only comes from layer 0).
  const double r = detail::ZigguratTables::kTailStart;
  const std::vector<double> edges{0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, r, INFINITY};
  const int n = 2000000;
  std::vector<int> positive(edges.size() - 1, 0), negative(edges.size() - 1, 0);
  Rng rng(77);
  for (int i = 0; i < n; ++i) {
    const double z = standard_normal(rng);
    const double a = std::abs(z);
    const auto band = static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), a) -
                                               edges.begin() - 1);
    (z >= 0 ? positive : negative)[band] += 1;
  }
  for (std::size_t b = 0; b + 1 < edges.size(); ++b) {
    const double p = normal_cdf(edges[b + 1]) - normal_cdf(edges[b]);
    const double expected = p * n, sd = std::sqrt(n * p * (1 - p));
    EXPECT_NEAR(positive[b], expected, 5 * sd)
        << "band (" << edges[b] << ", " << edges[b + 1] << "]";
    EXPECT_NEAR(negative[b], expected, 5 * sd)
        << "band -(" << edges[b] << ", " << edges[b + 1] << "]";
  }
}

TEST(Ziggurat, TailSamplerHasTheTailLaw) {
  // The slow path for layer 0 draws from the normal law conditioned on |z| > r:
  // P(|z| ≤ x | |z| > r) = 1 − Φ(−x)/Φ(−r).
  const auto& t = detail::ziggurat_tables();
  const double r = detail::ZigguratTables::kTailStart;
  Rng rng(78);
  std::vector<double> tail(50000);
  for (double& v : tail) {
    double value = 0;
    ASSERT_TRUE(detail::ziggurat_edge(rng, t, 0, r + 0.01, value));
    v = value;
  }
  const auto conditional = [r](double x) { return 1.0 - normal_cdf(-x) / normal_cdf(-r); };
  EXPECT_GT(ks_test(tail, conditional).p_value, 1e-3);
}

TEST(Ziggurat, SameSeedSameDraws) {
  Rng a(9), b(9);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(standard_normal(a), standard_normal(b));
}

}  // namespace
}  // namespace signopt
