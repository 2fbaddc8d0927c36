#include "signopt/core/tail_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "signopt/core/error.hpp"
#include "signopt/core/rng.hpp"
#include "signopt/noise/alpha_stable_noise.hpp"
#include "signopt/noise/gaussian_noise.hpp"

namespace signopt {
namespace {

TEST(HillTailIndex, HandComputed) {
  // Magnitudes 8, 4 above the threshold 2: H = (log 4 + log 2)/2 = 1.5 log 2.
  const std::vector<double> xs{1.0, -8.0, 2.0, 4.0};
  const TailIndexEstimate e = hill_tail_index(xs, 2);
  EXPECT_EQ(e.k, 2u);
  EXPECT_NEAR(e.index, 1.0 / (1.5 * std::log(2.0)), 1e-15);
  EXPECT_NEAR(e.standard_error, e.index / std::sqrt(2.0), 1e-15);
}

TEST(HillTailIndex, RecoversExactParetoTails) {
  // Pareto type I by inversion, P(X > x) = x^{−a}: the Hill estimator is exact in law here,
  // α̂ ~ a k / Gamma(k, 1), so with k = 2000 it is within 4 standard errors.
  for (double a : {0.8, 1.5, 3.0}) {
    Rng rng(static_cast<std::uint64_t>(a * 100));
    std::vector<double> xs(50000);
    for (double& x : xs) x = std::pow(rng.uniform_open(), -1.0 / a);
    const TailIndexEstimate e = hill_tail_index(xs, 2000);
    EXPECT_NEAR(e.index, a, 4.0 * e.standard_error) << "a=" << a;
  }
}

TEST(HillTailIndex, RejectsBadInput) {
  const std::vector<double> xs{1.0, 2.0, 3.0}, zeros{0.0, 0.0, 0.0, 5.0};
  EXPECT_THROW(hill_tail_index(xs, 0), Error);
  EXPECT_THROW(hill_tail_index(xs, 3), Error);
  EXPECT_THROW(hill_tail_index(zeros, 2), Error);  // threshold |x|_(3) = 0
}

TEST(BlockSumTailIndex, HandComputed) {
  // K = 2, blocks (1, 3) and (−2, −6): sums 4, −8.
  // 1/α̂ = ((log 4 + log 8)/2 − (log 1 + log 3 + log 2 + log 6)/4) / log 2.
  const std::vector<double> xs{1.0, 3.0, -2.0, -6.0, 100.0};  // the last draw makes no full block
  const TailIndexEstimate e = block_sum_tail_index(xs, 2);
  const double inv =
      ((std::log(4.0) + std::log(8.0)) / 2 - (std::log(3.0) + std::log(2.0) + std::log(6.0)) / 4) /
      std::log(2.0);
  EXPECT_NEAR(e.index, 1.0 / inv, 1e-12);
  EXPECT_EQ(e.k, 2u);
  EXPECT_EQ(default_block_size(10000), 100u);
  EXPECT_EQ(default_block_size(3), 2u);
  EXPECT_THROW(block_sum_tail_index(xs, 1), Error);
  EXPECT_THROW(block_sum_tail_index(std::vector<double>{1.0, 2.0, 3.0}, 2), Error);  // one block
  EXPECT_THROW(block_sum_tail_index(std::vector<double>(8, 0.0), 2), Error);         // all zero
}

std::vector<double> stable_draws(double alpha, std::size_t n, std::uint64_t seed) {
  const AlphaStableNoise noise(alpha, 0.0, 1.0);
  Rng rng(seed);
  std::vector<double> z(n);
  noise.sample(rng, z);
  return z;
}

// α-stable noise near α = 2: Hill (k = 1%) reads far above the true index — above 2 at α = 1.9,
// which would let κ = 2 through — while the block-sum estimator stays within 0.1; κ is chosen
// below the lower of the two, so below the true α at both α = 1.5 and α = 1.9.
TEST(BlockSumTailIndex, StableNoiseAndKappaSelection) {
  for (double alpha : {1.5, 1.9}) {
    const auto z = stable_draws(alpha, 200000, static_cast<std::uint64_t>(alpha * 1000));
    const TailIndexEstimate block = block_sum_tail_index(z, default_block_size(z.size()));
    const TailIndexEstimate hill = hill_tail_index(z, z.size() / 100);
    EXPECT_NEAR(block.index, alpha, 0.1) << "alpha = " << alpha;
    if (alpha == 1.9) {
      EXPECT_GT(hill.index, 2.0);  // Hill's upward bias near 2
    }
    const auto kappa = kappa_below_tail_index(std::min(hill.index, block.index));
    ASSERT_TRUE(kappa.has_value());
    EXPECT_LT(*kappa, alpha) << "alpha = " << alpha;
    EXPECT_GT(*kappa, 1.0);
  }
}

TEST(BlockSumTailIndex, FiniteVarianceReadsTwo) {
  const GaussianNoise noise(1.0);
  Rng rng(4);
  std::vector<double> z(100000);
  noise.sample(rng, z);
  EXPECT_NEAR(block_sum_tail_index(z, default_block_size(z.size())).index, 2.0, 0.1);
}

TEST(KappaBelowTailIndex, MarginAndLimits) {
  EXPECT_DOUBLE_EQ(*kappa_below_tail_index(1.5), 1.375);
  EXPECT_DOUBLE_EQ(*kappa_below_tail_index(1.9), 1.675);
  EXPECT_DOUBLE_EQ(*kappa_below_tail_index(3.0), 2.0);
  EXPECT_DOUBLE_EQ(*kappa_below_tail_index(std::numeric_limits<double>::infinity()), 2.0);
  EXPECT_FALSE(kappa_below_tail_index(1.0).has_value());
  EXPECT_FALSE(kappa_below_tail_index(0.7).has_value());
  EXPECT_FALSE(kappa_below_tail_index(std::nan("")).has_value());
}

}  // namespace
}  // namespace signopt
