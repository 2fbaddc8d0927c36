#include "signopt/noise/gaussian_noise.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "noise_test_support.hpp"
#include "signopt/core/error.hpp"
#include "signopt/core/ks_test.hpp"
#include "signopt/core/special_functions.hpp"
#include "signopt/core/statistics.hpp"

namespace signopt {
namespace {

TEST(GaussianNoise, KolmogorovSmirnovAgainstTheNormalCdf) {
  for (double scale : {1.0, 0.3}) {
    const GaussianNoise model(scale);
    const auto xs = testing::draw(model, 50000, 1);
    EXPECT_GT(ks_test(xs, [&](double x) { return normal_cdf(x / scale); }).p_value, 1e-3) << scale;
    // A 5% error in the scale is caught.
    EXPECT_LT(ks_test(xs, [&](double x) { return normal_cdf(x / (1.05 * scale)); }).p_value, 1e-3);
    EXPECT_NEAR(variance(xs), scale * scale, 0.03 * scale * scale);
  }
}

TEST(GaussianNoise, Metadata) {
  const GaussianNoise model(2.0);
  EXPECT_EQ(model.name(), "gaussian");
  EXPECT_TRUE(model.symmetric());
  EXPECT_TRUE(model.zero_mean());
  EXPECT_TRUE(std::isinf(model.moment_supremum()));
  EXPECT_NEAR(*model.absolute_moment(2.0), 4.0, 1e-12);
  EXPECT_NEAR(*model.absolute_moment(1.0), 2.0 * std::sqrt(2.0 / M_PI), 1e-12);
  EXPECT_NE(model.describe().find("scale=2"), std::string::npos);
}

TEST(GaussianNoise, ZeroScaleGivesZeros) {
  const auto xs = testing::draw(GaussianNoise(0.0), 100, 3);
  for (double x : xs) EXPECT_EQ(x, 0.0);
}

TEST(GaussianNoise, RejectsInvalidScale) {
  EXPECT_THROW(GaussianNoise(-1.0), Error);
  EXPECT_THROW(GaussianNoise(std::numeric_limits<double>::infinity()), Error);
  EXPECT_THROW(GaussianNoise(std::nan("")), Error);
}

}  // namespace
}  // namespace signopt
