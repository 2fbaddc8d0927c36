#include "signopt/noise/alpha_stable_noise.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>

#include "noise_test_support.hpp"
#include "signopt/core/error.hpp"
#include "signopt/core/ks_test.hpp"
#include "signopt/core/special_functions.hpp"
#include "signopt/core/statistics.hpp"
#include "signopt/core/tail_index.hpp"

namespace signopt {
namespace {

constexpr double kPi = std::numbers::pi;

// The characteristic function of S(α, β, σ, 0; S1), the law the sampler promises.
std::complex<double> s1_characteristic_function(double t, double alpha, double beta, double scale) {
  const double sign = t > 0 ? 1.0 : (t < 0 ? -1.0 : 0.0);
  const double at = std::abs(t);
  if (alpha == 1.0) {
    return std::exp(
        std::complex<double>(-scale * at, -scale * at * beta * (2.0 / kPi) * sign * std::log(at)));
  }
  const double m = std::pow(scale * at, alpha);
  return std::exp(std::complex<double>(-m, m * beta * sign * std::tan(kPi * alpha / 2.0)));
}

std::complex<double> empirical_characteristic_function(const std::vector<double>& xs, double t) {
  double re = 0, im = 0;
  for (double x : xs) {
    re += std::cos(t * x);
    im += std::sin(t * x);
  }
  const double n = static_cast<double>(xs.size());
  return {re / n, im / n};
}

struct StableCase {
  double alpha, beta, scale;
};

TEST(AlphaStableNoise, CharacteristicFunctionIsTheS1One) {
  // This pins the parameterisation: S0 differs from S1 by a shift βσ tan(πα/2) (α ≠ 1) or
  // (2/π)βσ log σ (α = 1), a phase the empirical characteristic function sees. The real and
  // imaginary parts of the empirical CF have standard deviation ≤ 1/√(2n) ≈ 0.0022.
  const StableCase cases[] = {{1.5, 0.0, 0.1}, {1.6, 0.0, 0.5},  {1.5, 0.5, 1.0}, {0.7, -0.6, 2.0},
                              {1.0, 0.5, 0.5}, {1.0, -1.0, 3.0}, {1.9, 0.9, 1.0}, {0.5, 1.0, 1.0},
                              {1.2, 1.0, 0.3}, {1.0, 0.0, 2.0},  {2.0, 0.4, 0.7}};
  std::uint64_t seed = 100;
  for (const auto& c : cases) {
    const AlphaStableNoise model(c.alpha, c.beta, c.scale);
    const auto xs = testing::draw(model, 100000, seed++);
    for (double ts : {0.5, 1.0, 2.0}) {
      const double t = ts / c.scale;
      const auto expected = s1_characteristic_function(t, c.alpha, c.beta, c.scale);
      const auto observed = empirical_characteristic_function(xs, t);
      EXPECT_NEAR(observed.real(), expected.real(), 0.012)
          << "alpha=" << c.alpha << " beta=" << c.beta << " scale=" << c.scale << " t=" << t;
      EXPECT_NEAR(observed.imag(), expected.imag(), 0.012)
          << "alpha=" << c.alpha << " beta=" << c.beta << " scale=" << c.scale << " t=" << t;
    }
  }
}

TEST(AlphaStableNoise, AlphaTwoIsGaussianWithVarianceTwoScaleSquared) {
  for (double beta : {0.0, 0.7}) {
    const double scale = 0.3;
    const auto xs = testing::draw(AlphaStableNoise(2.0, beta, scale), 50000, 11);
    const double sd = std::sqrt(2.0) * scale;
    EXPECT_GT(ks_test(xs, [&](double x) { return normal_cdf(x / sd); }).p_value, 1e-3);
    // Variance σ² (the other common convention) is rejected.
    EXPECT_LT(ks_test(xs, [&](double x) { return normal_cdf(x / scale); }).p_value, 1e-6);
  }
}

TEST(AlphaStableNoise, AlphaOneSymmetricIsCauchy) {
  const auto xs = testing::draw(AlphaStableNoise(1.0, 0.0, 0.4), 50000, 12);
  EXPECT_GT(ks_test(xs, [](double x) { return cauchy_cdf(x, 0.4); }).p_value, 1e-3);
}

TEST(AlphaStableNoise, AlphaHalfTotallySkewedIsLevy) {
  // S(1/2, 1, σ, 0; S1) is the Lévy law with scale σ (Nolan, Stable Distributions, §1.1): a
  // closed-form check of the skewed branch, including B and S of Weron's formula.
  const double scale = 0.8;
  const auto right = testing::draw(AlphaStableNoise(0.5, 1.0, scale), 40000, 13);
  EXPECT_GT(ks_test(right, [&](double x) { return levy_cdf(x, scale); }).p_value, 1e-3);
  auto left = testing::draw(AlphaStableNoise(0.5, -1.0, scale), 40000, 14);
  for (double& x : left) x = -x;
  EXPECT_GT(ks_test(left, [&](double x) { return levy_cdf(x, scale); }).p_value, 1e-3);
  EXPECT_LT(ks_test(right, [&](double x) { return levy_cdf(x, 1.1 * scale); }).p_value, 1e-3);
}

TEST(AlphaStableNoise, StabilityUnderSummation) {
  // Strict stability for α ≠ 1 (S1, location 0): X₁ + X₂ has the law of 2^{1/α} X.
  std::uint64_t seed = 200;
  for (double alpha : {0.6, 1.3, 1.5, 1.8}) {
    for (double beta : {0.0, 0.5}) {
      const AlphaStableNoise model(alpha, beta, 0.7);
      const auto x = testing::draw(model, 30000, seed++);
      const auto x1 = testing::draw(model, 30000, seed++);
      const auto x2 = testing::draw(model, 30000, seed++);
      std::vector<double> sum(x.size());
      const double shrink = std::pow(2.0, -1.0 / alpha);
      for (std::size_t i = 0; i < sum.size(); ++i) sum[i] = shrink * (x1[i] + x2[i]);
      EXPECT_GT(ks_two_sample_test(x, sum).p_value, 1e-3) << "alpha=" << alpha << " beta=" << beta;
    }
  }
  // α = 1, β ≠ 0 is stable only up to a shift: X₁ + X₂ ~ 2X + (4/π) β σ log 2
  // (Samorodnitsky & Taqqu 1994, Property 1.2.3).
  const double beta = 0.5, scale = 1.3;
  const AlphaStableNoise model(1.0, beta, scale);
  const auto x = testing::draw(model, 30000, seed++);
  const auto x1 = testing::draw(model, 30000, seed++);
  const auto x2 = testing::draw(model, 30000, seed++);
  std::vector<double> doubled(x.size()), sum(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    doubled[i] = 2.0 * x[i] + 4.0 / kPi * beta * scale * std::log(2.0);
    sum[i] = x1[i] + x2[i];
  }
  EXPECT_GT(ks_two_sample_test(doubled, sum).p_value, 1e-3);
}

TEST(AlphaStableNoise, SymmetryAndReflection) {
  std::uint64_t seed = 300;
  for (double alpha : {0.8, 1.0, 1.5}) {
    // β = 0: z and −z have the same law.
    const auto xs = testing::draw(AlphaStableNoise(alpha, 0.0, 1.0), 30000, seed++);
    std::vector<double> negated(xs.size());
    for (std::size_t i = 0; i < xs.size(); ++i) negated[i] = -xs[i];
    const auto ys = testing::draw(AlphaStableNoise(alpha, 0.0, 1.0), 30000, seed++);
    EXPECT_GT(ks_two_sample_test(ys, negated).p_value, 1e-3) << "alpha=" << alpha;
    // S(α, −β, σ) is the law of −S(α, β, σ).
    auto plus = testing::draw(AlphaStableNoise(alpha, 0.6, 1.0), 30000, seed++);
    const auto minus = testing::draw(AlphaStableNoise(alpha, -0.6, 1.0), 30000, seed++);
    for (double& v : plus) v = -v;
    EXPECT_GT(ks_two_sample_test(plus, minus).p_value, 1e-3) << "alpha=" << alpha;
  }
}

TEST(AlphaStableNoise, SkewnessPutsTheHeavierTailOnTheSideOfBeta) {
  // P(z > x) / P(z < −x) → (1 + β)/(1 − β) = 9 for β = 0.8.
  for (double beta : {0.8, -0.8}) {
    const auto xs = testing::draw(AlphaStableNoise(1.5, beta, 1.0), 100000, 400);
    const double right = testing::fraction_in(xs, 10.0, INFINITY);
    const double left = testing::fraction_in(xs, -INFINITY, -10.0);
    const double heavy = beta > 0 ? right : left, light = beta > 0 ? left : right;
    EXPECT_GT(heavy, 4.0 * light) << "beta=" << beta;
    EXPECT_LT(heavy, 20.0 * light) << "beta=" << beta;
  }
  // Totally skewed with α < 1: support [0, ∞) (S1, location 0).
  for (double alpha : {0.3, 0.5, 0.9}) {
    const auto xs = testing::draw(AlphaStableNoise(alpha, 1.0, 1.0), 20000, 401);
    EXPECT_GE(*std::min_element(xs.begin(), xs.end()), 0.0) << "alpha=" << alpha;
  }
}

TEST(AlphaStableNoise, SkewedLawHasZeroMeanWhenAlphaAboveOne) {
  // In S1 the mean is the location (0) for α > 1 whatever β; in S0 it would be −βσ tan(πα/2),
  // here 0.8 · 0.325 = 0.26.
  const AlphaStableNoise model(1.8, 0.8, 1.0);
  EXPECT_TRUE(model.zero_mean());
  EXPECT_FALSE(model.symmetric());
  const auto xs = testing::draw(model, 100000, 500);
  EXPECT_NEAR(mean(xs), 0.0, 0.06);
}

TEST(AlphaStableNoise, HillTailIndexNearAlpha) {
  for (double alpha : {0.8, 1.2, 1.5}) {
    const auto xs = testing::draw(AlphaStableNoise(alpha, 0.0, 0.1), 200000, 600);
    const TailIndexEstimate e = hill_tail_index(xs, 1000);
    EXPECT_NEAR(e.index, alpha, 0.12 * alpha) << "alpha=" << alpha;
  }
}

TEST(AlphaStableNoise, AbsoluteMoments) {
  // Monte Carlo for p = 0.5 < α/2, where |z|^p has finite variance.
  for (const StableCase c :
       {StableCase{1.5, 0.5, 1.0}, StableCase{1.2, 0.0, 0.5}, StableCase{1.0, 0.0, 2.0}}) {
    const AlphaStableNoise model(c.alpha, c.beta, c.scale);
    const auto xs = testing::draw(model, 100000, 700);
    double sum = 0;
    for (double x : xs) sum += std::sqrt(std::abs(x));
    const double expected = *model.absolute_moment(0.5);
    EXPECT_NEAR(sum / static_cast<double>(xs.size()), expected, 0.02 * expected)
        << "alpha=" << c.alpha << " beta=" << c.beta;
  }
  // The general formula is continuous into the Gaussian case and across p = 1.
  EXPECT_NEAR(*AlphaStableNoise(1.999999, 0.0, 0.5).absolute_moment(1.5),
              *AlphaStableNoise(2.0, 0.0, 0.5).absolute_moment(1.5), 1e-4);
  const AlphaStableNoise skewed(1.7, -0.4, 1.0);
  EXPECT_NEAR(*skewed.absolute_moment(1.0), *skewed.absolute_moment(1.0 + 1e-7), 1e-5);
  EXPECT_TRUE(std::isinf(*skewed.absolute_moment(1.7)));
  EXPECT_FALSE(AlphaStableNoise(1.0, 0.3).absolute_moment(0.5).has_value());
}

TEST(AlphaStableNoise, Metadata) {
  const AlphaStableNoise seed_setting(1.5, 0.0, 0.1);
  EXPECT_EQ(seed_setting.name(), "alpha-stable");
  EXPECT_NE(seed_setting.describe().find("S1"), std::string::npos);
  EXPECT_TRUE(seed_setting.symmetric());
  EXPECT_TRUE(seed_setting.zero_mean());
  EXPECT_EQ(seed_setting.moment_supremum(), 1.5);
  EXPECT_TRUE(AlphaStableNoise(2.0, 0.5).symmetric());
  EXPECT_TRUE(std::isinf(AlphaStableNoise(2.0).moment_supremum()));
  EXPECT_FALSE(AlphaStableNoise(0.9).zero_mean());
  EXPECT_FALSE(AlphaStableNoise(1.0).zero_mean());
}

TEST(AlphaStableNoise, ZeroScaleGivesZeros) {
  for (double alpha : {0.5, 1.0, 1.5, 2.0}) {
    for (double x : testing::draw(AlphaStableNoise(alpha, 0.5, 0.0), 50, 1)) EXPECT_EQ(x, 0.0);
  }
}

TEST(AlphaStableNoise, RejectsInvalidParameters) {
  EXPECT_THROW(AlphaStableNoise(0.0), Error);
  EXPECT_THROW(AlphaStableNoise(-1.0), Error);
  EXPECT_THROW(AlphaStableNoise(2.0001), Error);
  EXPECT_THROW(AlphaStableNoise(std::nan("")), Error);
  EXPECT_THROW(AlphaStableNoise(1.5, 1.01), Error);
  EXPECT_THROW(AlphaStableNoise(1.5, -1.5), Error);
  EXPECT_THROW(AlphaStableNoise(1.5, 0.0, -0.1), Error);
  EXPECT_NO_THROW(AlphaStableNoise(2.0, -1.0, 0.0));
}

}  // namespace
}  // namespace signopt
