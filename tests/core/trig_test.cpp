#include "signopt/core/trig.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "signopt/core/error.hpp"
#include "signopt/core/rng.hpp"
#include "test_support.hpp"

namespace signopt {
namespace {

using testing::ulps;

void expect_close_to_libm(const std::vector<double>& x, double max_ulps) {
  std::vector<double> s(x.size()), c(x.size());
  sin_cos(x, s, c);
  double worst_s = 0, worst_c = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    // Near a zero of sin or cos the reference's own argument rounding dominates: compare the
    // absolute error there (below 2^-53 ≈ 1.1e-16 is as good as the argument allows).
    const double es = std::abs(std::sin(x[i])) < 1e-3 ? std::abs(s[i] - std::sin(x[i])) / 1.1e-16 * 0.5
                                                      : ulps(s[i], std::sin(x[i]));
    const double ec = std::abs(std::cos(x[i])) < 1e-3 ? std::abs(c[i] - std::cos(x[i])) / 1.1e-16 * 0.5
                                                      : ulps(c[i], std::cos(x[i]));
    worst_s = std::max(worst_s, es);
    worst_c = std::max(worst_c, ec);
  }
  EXPECT_LE(worst_s, max_ulps);
  EXPECT_LE(worst_c, max_ulps);
}

TEST(SinCos, MatchesLibmOnTheSamplersRange) {
  std::vector<double> x;
  for (int i = -200000; i <= 200000; ++i) x.push_back(2.0 * std::numbers::pi * i / 200000.0);
  expect_close_to_libm(x, 2.0);
}

TEST(SinCos, MatchesLibmOnLargerArguments) {
  Rng rng(3);
  std::vector<double> x;
  for (int i = 0; i < 100000; ++i) x.push_back(1e6 * (2 * rng.uniform_open() - 1));
  expect_close_to_libm(x, 2.0);
}

TEST(SinCos, ExactAtZeroAndRelativelyAccurateNearTheRightAngle) {
  std::vector<double> x{0.0, -0.0, 1e-300, std::numbers::pi / 2, -std::numbers::pi / 2,
                        std::nextafter(std::numbers::pi / 2, 0.0)};
  std::vector<double> s(x.size()), c(x.size());
  sin_cos(x, s, c);
  EXPECT_EQ(s[0], 0.0);
  EXPECT_EQ(c[0], 1.0);
  EXPECT_EQ(s[2], 1e-300);
  // cos of the double nearest π/2 is ≈ 6.12e-17 (π/2 minus that double); relative accuracy
  // matters there for log(cos V) in the α-stable sampler.
  EXPECT_NEAR(c[3] / std::cos(x[3]), 1.0, 1e-14);
  EXPECT_NEAR(c[4] / std::cos(x[4]), 1.0, 1e-14);
  EXPECT_NEAR(c[5] / std::cos(x[5]), 1.0, 1e-14);
}

TEST(SinCos, SameResultWhateverThePositionOrCount) {
  Rng rng(5);
  std::vector<double> x(37);
  for (double& v : x) v = 6 * (2 * rng.uniform_open() - 1);
  std::vector<double> s(x.size()), c(x.size());
  sin_cos(x, s, c);
  for (std::size_t i = 0; i < x.size(); ++i) {
    double one_s = 0, one_c = 0;
    sin_cos(std::span<const double>(&x[i], 1), std::span<double>(&one_s, 1), std::span<double>(&one_c, 1));
    EXPECT_EQ(one_s, s[i]);
    EXPECT_EQ(one_c, c[i]);
  }
  std::vector<double> only_c(x.size());
  sin_cos(x, {}, only_c);
  EXPECT_EQ(only_c, c);
  std::vector<double> wrong(3);
  EXPECT_THROW(sin_cos(x, wrong, {}), Error);
}

}  // namespace
}  // namespace signopt
