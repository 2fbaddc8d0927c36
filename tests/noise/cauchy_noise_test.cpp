#include "signopt/noise/cauchy_noise.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "noise_test_support.hpp"
#include "signopt/core/error.hpp"
#include "signopt/core/ks_test.hpp"
#include "signopt/core/special_functions.hpp"
#include "signopt/core/statistics.hpp"
#include "signopt/core/tail_index.hpp"

namespace signopt {
namespace {

TEST(CauchyNoise, KolmogorovSmirnovAgainstTheCauchyCdf) {
  const CauchyNoise model(0.5);
  const auto xs = testing::draw(model, 50000, 2);
  EXPECT_GT(ks_test(xs, [](double x) { return cauchy_cdf(x, 0.5); }).p_value, 1e-3);
  EXPECT_LT(ks_test(xs, [](double x) { return cauchy_cdf(x, 0.53); }).p_value, 1e-3);
  // Quartiles at ±scale.
  EXPECT_NEAR(quantile(xs, 0.75), 0.5, 0.02);
  EXPECT_NEAR(quantile(xs, 0.25), -0.5, 0.02);
}

TEST(CauchyNoise, TailIndexIsOne) {
  const auto xs = testing::draw(CauchyNoise(2.0), 100000, 3);
  const TailIndexEstimate e = hill_tail_index(xs, 1000);
  EXPECT_NEAR(e.index, 1.0, 0.1);
}

TEST(CauchyNoise, MetadataAndMoments) {
  const CauchyNoise model(2.0);
  EXPECT_EQ(model.name(), "cauchy");
  EXPECT_TRUE(model.symmetric());
  EXPECT_FALSE(model.zero_mean());
  EXPECT_EQ(model.moment_supremum(), 1.0);
  EXPECT_TRUE(std::isinf(*model.absolute_moment(1.0)));
  // E|z|^0.3 = 2^0.3 / cos(0.15π); |z|^0.3 has finite variance, so a sample mean checks it.
  const auto xs = testing::draw(model, 100000, 4);
  double sum = 0;
  for (double x : xs) sum += std::pow(std::abs(x), 0.3);
  EXPECT_NEAR(sum / static_cast<double>(xs.size()), *model.absolute_moment(0.3), 0.02);
}

TEST(CauchyNoise, RejectsInvalidScale) { EXPECT_THROW(CauchyNoise(-0.1), Error); }

}  // namespace
}  // namespace signopt
