#include "signopt/optim/output_point.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>

#include "signopt/core/error.hpp"

namespace signopt::optim {
namespace {

// x^k = (k, −k): the index of a point can be read off the point.
Vector point(Index k) { return Vector{{static_cast<double>(k), -static_cast<double>(k)}}; }

Index run_uniform(std::uint64_t seed, Index T) {
  OutputPoint out(OutputRule::Uniform, Rng::derive({seed, stream_tag("output-point")}));
  out.start(point(1));
  for (Index k = 1; k <= T; ++k) out.observe_step(k, point(k + 1));
  EXPECT_EQ(out.point()[0], static_cast<double>(out.index()));
  EXPECT_EQ(out.point()[1], -static_cast<double>(out.index()));
  return out.index();
}

TEST(OutputPoint, UniformIsUniformOverTheGradientPoints) {
  // Over 10⁴ seeds with T = 5 the index is uniform on {1..5} (never 6 = T+1): chi-square with
  // 4 degrees of freedom stays below its 0.999 quantile, 18.47.
  constexpr Index T = 5;
  constexpr int runs = 10000;
  std::array<int, T + 2> counts{};
  for (int s = 0; s < runs; ++s) {
    const Index tau = run_uniform(static_cast<std::uint64_t>(s), T);
    ASSERT_GE(tau, 1);
    ASSERT_LE(tau, T);
    ++counts[static_cast<std::size_t>(tau)];
  }
  double chi2 = 0.0;
  const double expected = static_cast<double>(runs) / T;
  for (Index k = 1; k <= T; ++k) {
    chi2 += std::pow(counts[static_cast<std::size_t>(k)] - expected, 2) / expected;
  }
  EXPECT_LT(chi2, 18.47);
  EXPECT_EQ(counts[T + 1], 0);
}

TEST(OutputPoint, UniformIsReproducibleForASeedAndSingleStepPicksTheStart) {
  EXPECT_EQ(run_uniform(42, 1000), run_uniform(42, 1000));
  EXPECT_EQ(run_uniform(3, 1), 1);
  int differ = 0;
  for (std::uint64_t s = 0; s < 10; ++s) differ += run_uniform(s, 1000) != run_uniform(s + 100, 1000);
  EXPECT_GT(differ, 5);
}

TEST(OutputPoint, LastIsTheFinalIterate) {
  OutputPoint out(OutputRule::Last);
  out.start(point(1));
  EXPECT_EQ(out.index(), 1);
  for (Index k = 1; k <= 7; ++k) out.observe_step(k, point(k + 1));
  EXPECT_EQ(out.index(), 8);
  EXPECT_EQ(out.point()[0], 8.0);
  EXPECT_FALSE(out.needs_value());
}

TEST(OutputPoint, BestKeepsTheSmallestValueAndIgnoresNaN) {
  OutputPoint out(OutputRule::Best);
  EXPECT_TRUE(out.needs_value());
  out.start(point(1), 5.0);
  const std::array<double, 5> values{4.0, 1.0, 1.0, std::nan(""), 3.0};  // x²..x⁶
  for (Index k = 1; k <= 5; ++k) out.observe_step(k, point(k + 1), values[static_cast<std::size_t>(k - 1)]);
  EXPECT_EQ(out.index(), 3);  // the first point with value 1
  EXPECT_EQ(out.value(), 1.0);
  EXPECT_EQ(out.point()[0], 3.0);
}

TEST(OutputPoint, ProtocolErrors) {
  OutputPoint out(OutputRule::Uniform);
  EXPECT_THROW(out.observe_step(1, point(2)), Error);
  out.start(point(1));
  EXPECT_THROW(out.point(), Error);  // no step yet
  EXPECT_THROW(out.observe_step(2, point(3)), Error);  // skipped step 1
  EXPECT_THROW(out.observe_step(1, Vector::Zero(3)), Error);
  EXPECT_EQ(output_rule_from_string("best"), OutputRule::Best);
  EXPECT_THROW(output_rule_from_string("average"), Error);
}

}  // namespace
}  // namespace signopt::optim
