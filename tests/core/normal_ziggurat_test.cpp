#include "signopt/core/normal_ziggurat.hpp"

#include <gtest/gtest.h>

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

TEST(Ziggurat, TailBeyondTheBaseLayerIsRight) {
  // The tail |z| > r is drawn by a separate rejection sampler: check its mass and its shape.
  const double r = detail::ZigguratTables::kTailStart;
  Rng rng(77);
  std::vector<double> tail;
  const int n = 2000000;
  for (int i = 0; i < n; ++i) {
    const double z = standard_normal(rng);
    if (std::abs(z) > r) tail.push_back(std::abs(z));
  }
  const double p = 2.0 * normal_cdf(-r);  // 2.58e-4: ~516 expected, sd ~23
  EXPECT_NEAR(static_cast<double>(tail.size()), p * n, 5.0 * std::sqrt(p * n));
  // Given |z| > r, P(|z| ≤ x) = 1 − Φ(−x)/Φ(−r).
  const auto conditional = [r](double x) { return 1.0 - normal_cdf(-x) / normal_cdf(-r); };
  EXPECT_GT(ks_test(tail, conditional).p_value, 1e-3);
}

TEST(Ziggurat, SameSeedSameDraws) {
  Rng a(9), b(9);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(standard_normal(a), standard_normal(b));
}

}  // namespace
}  // namespace signopt
