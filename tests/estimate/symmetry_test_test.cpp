#include "signopt/estimate/symmetry_test.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "signopt/core/error.hpp"
#include "signopt/core/rng.hpp"

namespace signopt::estimate {
namespace {

TEST(SymmetryTest, BinomialHalfCdfByHand) {
  EXPECT_NEAR(binomial_half_cdf(0, 3), 1.0 / 8, 1e-14);
  EXPECT_NEAR(binomial_half_cdf(1, 3), 4.0 / 8, 1e-14);
  EXPECT_NEAR(binomial_half_cdf(2, 3), 7.0 / 8, 1e-14);
  EXPECT_DOUBLE_EQ(binomial_half_cdf(3, 3), 1.0);
  EXPECT_NEAR(binomial_half_cdf(5, 10), 638.0 / 1024, 1e-14);
}

TEST(SymmetryTest, SignTestByHand) {
  // 10 positive, 0 negative, 2 zeros: p = 2 · P(X ≤ 0) = 2 / 1024.
  std::vector<double> z(10, 1.0);
  z.push_back(0.0);
  z.push_back(0.0);
  const SymmetryTest t = symmetry_test(z);
  EXPECT_EQ(t.positive, 10u);
  EXPECT_EQ(t.negative, 0u);
  EXPECT_EQ(t.zero, 2u);
  EXPECT_NEAR(t.sign_p_value, 2.0 / 1024, 1e-15);
  EXPECT_DOUBLE_EQ(t.tail_p_value, 1.0);  // no negative side to compare
  // Balanced signs: p = 1.
  const std::vector<double> balanced{1.0, -2.0, 3.0, -4.0};
  EXPECT_DOUBLE_EQ(symmetry_test(balanced).sign_p_value, 1.0);
}

TEST(SymmetryTest, TailBalanceSeesUnequalTailsWithEqualSigns) {
  // Equal numbers of positive and negative values, but the negative ones ten times larger:
  // the sign test cannot see it, the tail-balance test must.
  Rng rng(4);
  std::vector<double> z;
  for (int i = 0; i < 2000; ++i) {
    const double e = rng.exponential();
    z.push_back(i % 2 == 0 ? e : -10.0 * e);
  }
  const SymmetryTest t = symmetry_test(z);
  EXPECT_DOUBLE_EQ(t.sign_p_value, 1.0);
  EXPECT_LT(t.tail_p_value, 1e-10);
  EXPECT_GT(t.tail_ks_statistic, 0.5);
}

TEST(SymmetryTest, SymmetricSampleIsNotRejected) {
  Rng rng(5);
  std::vector<double> z(5000);
  for (double& v : z) v = rng.normal();
  const SymmetryTest t = symmetry_test(z);
  EXPECT_GT(t.sign_p_value, 0.01);
  EXPECT_GT(t.tail_p_value, 0.01);
}

TEST(SymmetryTest, RejectsNaN) {
  const std::vector<double> z{1.0, std::nan("")};
  EXPECT_THROW(symmetry_test(z), Error);
}

}  // namespace
}  // namespace signopt::estimate
