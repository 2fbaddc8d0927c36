#include "signopt/noise/symmetric_pareto_noise.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "noise_test_support.hpp"
#include "signopt/core/error.hpp"
#include "signopt/core/ks_test.hpp"
#include "signopt/core/statistics.hpp"
#include "signopt/core/tail_index.hpp"

namespace signopt {
namespace {

// P(z ≤ x) for z = ±Lomax(a, s): 1 − (1 + x/s)^{−a}/2 for x ≥ 0, (1 + |x|/s)^{−a}/2 for x < 0.
double symmetric_lomax_cdf(double x, double shape, double scale) {
  const double half_tail = 0.5 * std::pow(1.0 + std::abs(x) / scale, -shape);
  return x >= 0 ? 1.0 - half_tail : half_tail;
}

TEST(SymmetricParetoNoise, KolmogorovSmirnovAgainstTheLomaxCdf) {
  for (double shape : {0.8, 1.5, 3.0}) {
    const double scale = 0.4;
    const SymmetricParetoNoise model(shape, scale);
    const auto xs = testing::draw(model, 40000, static_cast<std::uint64_t>(shape * 10));
    EXPECT_GT(ks_test(xs, [&](double x) { return symmetric_lomax_cdf(x, shape, scale); }).p_value,
              1e-3)
        << "shape=" << shape;
    EXPECT_LT(
        ks_test(xs, [&](double x) { return symmetric_lomax_cdf(x, 1.05 * shape, scale); }).p_value,
        1e-3)
        << "shape=" << shape;
  }
}

TEST(SymmetricParetoNoise, HillTailIndexNearShape) {
  for (double shape : {1.2, 1.8, 3.0}) {
    const double scale = 0.5;
    auto xs = testing::draw(SymmetricParetoNoise(shape, scale), 100000, 8);
    // On |z| itself the Lomax tail (1 + x/s)^{−a} bends the Hill estimate down for larger a:
    // only a loose check there.
    EXPECT_NEAR(hill_tail_index(xs, 500).index, shape, 0.15 * shape) << "shape=" << shape;
    // |z| + s is exactly Pareto type I with index a, where the Hill estimator is unbiased in
    // the limit for every k: a tight check (4 standard errors).
    for (double& x : xs) x = std::abs(x) + scale;
    const TailIndexEstimate e = hill_tail_index(xs, 5000);
    EXPECT_NEAR(e.index, shape, 4.0 * e.standard_error) << "shape=" << shape;
  }
}

TEST(SymmetricParetoNoise, SignsAreBalanced) {
  const auto xs = testing::draw(SymmetricParetoNoise(1.5, 1.0), 100000, 9);
  // Fraction positive: 1/2 ± 0.0016 (sd).
  EXPECT_NEAR(testing::fraction_in(xs, 0.0, INFINITY), 0.5, 0.008);
}

TEST(SymmetricParetoNoise, MetadataAndMoments) {
  const SymmetricParetoNoise model(5.0, 2.0);
  EXPECT_EQ(model.name(), "pareto");
  EXPECT_TRUE(model.symmetric());
  EXPECT_TRUE(model.zero_mean());
  EXPECT_EQ(model.moment_supremum(), 5.0);
  // E z² = 2 s² / ((a − 1)(a − 2)) = 8/12.
  EXPECT_NEAR(*model.absolute_moment(2.0), 8.0 / 12.0, 1e-12);
  // E|z| = s/(a − 1).
  EXPECT_NEAR(*model.absolute_moment(1.0), 0.5, 1e-12);
  EXPECT_TRUE(std::isinf(*model.absolute_moment(5.0)));
  const auto xs = testing::draw(model, 100000, 10);
  EXPECT_NEAR(variance(xs), 8.0 / 12.0, 0.04);
}

TEST(SymmetricParetoNoise, RejectsInvalidParameters) {
  EXPECT_THROW(SymmetricParetoNoise(0.0), Error);
  EXPECT_THROW(SymmetricParetoNoise(-1.0), Error);
  EXPECT_THROW(SymmetricParetoNoise(2.0, -1.0), Error);
  EXPECT_THROW(SymmetricParetoNoise(std::nan(""), 1.0), Error);
}

}  // namespace
}  // namespace signopt
