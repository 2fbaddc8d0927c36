#include "signopt/core/exponential.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "signopt/core/error.hpp"
#include "signopt/core/rng.hpp"
#include "test_support.hpp"

namespace signopt {
namespace {

using testing::ulps;

double worst_ulps(const std::vector<double>& x) {
  std::vector<double> e(x.size());
  exponentials(x, e);
  double worst = 0;
  for (std::size_t i = 0; i < x.size(); ++i) worst = std::max(worst, ulps(e[i], std::exp(x[i])));
  return worst;
}

TEST(Exponentials, MatchLibmOverTheWholeRange) {
  Rng rng(5);
  std::vector<double> x;
  for (int i = 0; i < 200000; ++i) x.push_back(-745.0 + 1454.0 * rng.uniform_open());
  EXPECT_LE(worst_ulps(x), 1.0);
}

TEST(Exponentials, MatchLibmOnTheLogisticKernelsRange) {
  // The kernel takes e^{−|t|}: arguments in [−40, 0] matter, near 0 most.
  std::vector<double> x;
  for (int i = 0; i <= 400000; ++i) x.push_back(-40.0 * i / 400000.0);
  for (int i = 1; i <= 1000; ++i) x.push_back(-std::ldexp(1.0, -i / 10));
  EXPECT_LE(worst_ulps(x), 1.0);
}

TEST(Exponentials, ExactOrCorrectAtSpecialArguments) {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> x{0.0, -0.0, 1e-300, -1e-300, 709.78, 710.0, inf, -744.0, -745.2, -800.0,
                        -inf, std::numeric_limits<double>::quiet_NaN(), 1.0, -1.0};
  std::vector<double> e(x.size());
  exponentials(x, e);
  EXPECT_EQ(e[0], 1.0);
  EXPECT_EQ(e[1], 1.0);
  EXPECT_EQ(e[2], 1.0);
  EXPECT_EQ(e[3], 1.0);
  EXPECT_LE(ulps(e[4], std::exp(709.78)), 1.0);
  EXPECT_EQ(e[5], inf);
  EXPECT_EQ(e[6], inf);
  // Subnormal results: within one subnormal step of libm's.
  EXPECT_LE(std::abs(e[7] - std::exp(-744.0)), std::numeric_limits<double>::denorm_min());
  EXPECT_GT(e[7], 0.0);
  EXPECT_EQ(e[8], 0.0);
  EXPECT_EQ(e[9], 0.0);
  EXPECT_EQ(e[10], 0.0);
  EXPECT_TRUE(std::isnan(e[11]));
  EXPECT_LE(ulps(e[12], std::exp(1.0)), 1.0);
  EXPECT_LE(ulps(e[13], std::exp(-1.0)), 1.0);
}

TEST(Exponentials, SubnormalRangeWithinOneStep) {
  std::vector<double> x;
  for (int i = 0; i <= 10000; ++i) x.push_back(-708.0 - 37.0 * i / 10000.0);
  std::vector<double> e(x.size());
  exponentials(x, e);
  for (std::size_t i = 0; i < x.size(); ++i) {
    ASSERT_LE(ulps(e[i], std::exp(x[i])), 1.0) << "x = " << x[i];
  }
}

TEST(Exponentials, ResultDoesNotDependOnPositionOrCount) {
  Rng rng(9);
  std::vector<double> x;
  for (int i = 0; i < 37; ++i) x.push_back(-30.0 * rng.uniform_open());
  std::vector<double> all(x.size());
  exponentials(x, all);
  for (std::size_t i = 0; i < x.size(); ++i) {
    double one;
    exponentials(std::span(x).subspan(i, 1), std::span(&one, 1));
    EXPECT_EQ(one, all[i]);
  }
  // In place.
  std::vector<double> y = x;
  exponentials(y, y);
  EXPECT_EQ(y, all);
}

TEST(Exponentials, SizeMismatchIsAnError) {
  std::vector<double> x(3), e(2);
  EXPECT_THROW(exponentials(x, e), Error);
}

}  // namespace
}  // namespace signopt
