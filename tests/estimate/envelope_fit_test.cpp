#include "signopt/estimate/envelope_fit.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "signopt/core/error.hpp"
#include "signopt/core/rng.hpp"
#include "signopt/core/statistics.hpp"

namespace signopt::estimate {
namespace {

struct Cloud {
  std::vector<double> g, L;
};

// Points under the line L = a + b g, a fraction of them exactly on it.
Cloud under_line(double a, double b, std::size_t n, std::uint64_t seed, double on_line = 0.1) {
  Rng rng(seed);
  Cloud c;
  for (std::size_t i = 0; i < n; ++i) {
    const double g = 0.1 + 9.9 * rng.uniform();
    const double u = rng.uniform() < on_line ? 1.0 : 0.3 + 0.7 * rng.uniform();
    c.g.push_back(g);
    c.L.push_back((a + b * g) * u);
  }
  return c;
}

bool all_below(const Cloud& c, double L0, double L1) {
  for (std::size_t i = 0; i < c.g.size(); ++i) {
    if (c.L[i] > L0 + L1 * c.g[i] + 1e-9 * (1 + L0 + L1 * c.g[i])) return false;
  }
  return true;
}

TEST(EnvelopeFit, RecoversTheLineThePointsLieUnder) {
  const Cloud c = under_line(2.0, 3.0, 500, 1);
  const EnvelopeFit fit = fit_upper_envelope(c.g, c.L);
  EXPECT_NEAR(fit.L0, 2.0, 1e-9);
  EXPECT_NEAR(fit.L1, 3.0, 1e-9);
  EXPECT_EQ(fit.above, 0u);
  EXPECT_EQ(fit.points, 500u);
  EXPECT_EQ(fit.support, "two points");
  EXPECT_DOUBLE_EQ(fit.reference_norm, median(c.g));
  EXPECT_NEAR(fit.objective, 2.0 + 3.0 * fit.reference_norm, 1e-9);
}

TEST(EnvelopeFit, PeelsOutliersWithinTheAllowedFraction) {
  Cloud c = under_line(2.0, 3.0, 1000, 2);
  // Five outliers far above the line, spread over the g-range.
  for (double g : {0.5, 2.0, 4.5, 7.0, 9.5}) {
    c.g.push_back(g);
    c.L.push_back(3.0 * (2.0 + 3.0 * g));
  }
  const EnvelopeFit strict = fit_upper_envelope(c.g, c.L);
  EXPECT_TRUE(all_below(c, strict.L0, strict.L1));
  EXPECT_GT(strict.objective, 2.0 + 3.0 * strict.reference_norm + 1.0);  // pulled up

  EnvelopeOptions options;
  options.outlier_fraction = 0.01;  // m = 10 ≥ 5 outliers
  const EnvelopeFit fit = fit_upper_envelope(c.g, c.L, options);
  EXPECT_EQ(fit.allowed_above, 10u);
  EXPECT_NEAR(fit.L0, 2.0, 1e-9);
  EXPECT_NEAR(fit.L1, 3.0, 1e-9);
  EXPECT_EQ(fit.above, 5u);  // exactly the outliers (peeled points on the line are not above it)
}

// Brute force over every vertex of the LP's feasible set: lines through two points, the
// horizontal line through the top point, lines through the origin.
double brute_force_objective(const Cloud& c, double g_ref) {
  double best = std::numeric_limits<double>::infinity();
  auto consider = [&](double L0, double L1) {
    if (L0 < -1e-12 || L1 < -1e-12 || !all_below(c, L0, L1)) return;
    best = std::min(best, L0 + L1 * g_ref);
  };
  double top = 0;
  for (double l : c.L) top = std::max(top, l);
  consider(top, 0.0);
  for (std::size_t i = 0; i < c.g.size(); ++i) {
    if (c.g[i] > 0) consider(0.0, c.L[i] / c.g[i]);
    for (std::size_t j = 0; j < c.g.size(); ++j) {
      if (c.g[j] <= c.g[i]) continue;
      const double slope = (c.L[j] - c.L[i]) / (c.g[j] - c.g[i]);
      consider(c.L[i] - slope * c.g[i], slope);
    }
  }
  return best;
}

TEST(EnvelopeFit, IsTheExactLinearProgramOptimum) {
  for (std::uint64_t seed = 10; seed < 30; ++seed) {
    Rng rng(seed);
    Cloud c;
    const bool decreasing = seed % 3 == 0;      // optimum at L1 = 0
    const bool through_origin = seed % 3 == 1;  // optimum at L0 = 0
    for (int i = 0; i < 40; ++i) {
      const double g = 5.0 * rng.uniform();
      double L = rng.uniform();
      if (decreasing) L += 5.0 - g;
      if (through_origin) L += 3.0 * g;
      c.g.push_back(g);
      c.L.push_back(L);
    }
    const EnvelopeFit fit = fit_upper_envelope(c.g, c.L);
    EXPECT_TRUE(all_below(c, fit.L0, fit.L1)) << "seed " << seed;
    EXPECT_GE(fit.L0, 0.0);
    EXPECT_GE(fit.L1, 0.0);
    EXPECT_NEAR(fit.objective, brute_force_objective(c, fit.reference_norm), 1e-9)
        << "seed " << seed;
  }
}

TEST(EnvelopeFit, ClampsToNonNegativeConstants) {
  // Points on L = 5 − g: the best line above them is flat through the highest point.
  Cloud falling;
  for (double g = 0.0; g <= 4.0; g += 0.5) {
    falling.g.push_back(g);
    falling.L.push_back(5.0 - g);
  }
  const EnvelopeFit flat = fit_upper_envelope(falling.g, falling.L);
  EXPECT_DOUBLE_EQ(flat.L0, 5.0);
  EXPECT_DOUBLE_EQ(flat.L1, 0.0);
  EXPECT_EQ(flat.support, "L1 = 0");

  // Points on L = 2g − 1, g ∈ [1, 3]: the hull edge has a negative intercept, so the optimum
  // is the line through the origin and the point of largest L/g, (3, 5).
  Cloud rising;
  for (double g = 1.0; g <= 3.0; g += 0.25) {
    rising.g.push_back(g);
    rising.L.push_back(2.0 * g - 1.0);
  }
  const EnvelopeFit origin = fit_upper_envelope(rising.g, rising.L);
  EXPECT_DOUBLE_EQ(origin.L0, 0.0);
  EXPECT_NEAR(origin.L1, 5.0 / 3.0, 1e-15);
  EXPECT_EQ(origin.support, "L0 = 0");
}

TEST(EnvelopeFit, ReferenceNormPicksTheTangentOfAConcaveEnvelope) {
  // L = √g is concave: the lowest line above it at g_ref is (nearly) its tangent there,
  // L = √g_ref/2 + g/(2√g_ref).
  Cloud c;
  for (int i = 1; i <= 4000; ++i) {
    const double g = 0.001 * i;
    c.g.push_back(g);
    c.L.push_back(std::sqrt(g));
  }
  for (double g_ref : {0.25, 1.0, 2.25}) {
    EnvelopeOptions options;
    options.reference_norm = g_ref;
    const EnvelopeFit fit = fit_upper_envelope(c.g, c.L, options);
    EXPECT_NEAR(fit.L0, std::sqrt(g_ref) / 2, 1e-3) << g_ref;
    EXPECT_NEAR(fit.L1, 1 / (2 * std::sqrt(g_ref)), 1e-3) << g_ref;
  }
}

TEST(EnvelopeFit, SinglePointAndTies) {
  const std::vector<double> g{2.0}, L{3.0};
  const EnvelopeFit one = fit_upper_envelope(g, L);
  EXPECT_LE(one.L0 + one.L1 * 2.0, 3.0 + 1e-12);
  EXPECT_GE(one.L0 + one.L1 * 2.0, 3.0 - 1e-12);
  // Many points with the same g: only the highest matters.
  const std::vector<double> g2{1.0, 1.0, 1.0, 2.0, 2.0}, L2{0.5, 2.0, 1.0, 1.0, 4.0};
  const EnvelopeFit tied = fit_upper_envelope(g2, L2);
  EXPECT_NEAR(tied.L0 + tied.L1 * 1.0, 2.0, 1e-12);
  EXPECT_NEAR(tied.L0 + tied.L1 * 2.0, 4.0, 1e-12);
}

TEST(EnvelopeFit, RejectsBadInput) {
  const std::vector<double> g{1.0, 2.0}, L{1.0, 2.0}, short_L{1.0};
  const std::vector<double> negative{1.0, -2.0}, nan{1.0, std::nan("")}, empty;
  EXPECT_THROW(fit_upper_envelope(g, short_L), Error);
  EXPECT_THROW(fit_upper_envelope(empty, empty), Error);
  EXPECT_THROW(fit_upper_envelope(g, negative), Error);
  EXPECT_THROW(fit_upper_envelope(nan, L), Error);
  EnvelopeOptions bad;
  bad.outlier_fraction = 1.0;
  EXPECT_THROW(fit_upper_envelope(g, L, bad), Error);
  bad.outlier_fraction = -0.1;
  EXPECT_THROW(fit_upper_envelope(g, L, bad), Error);
  EnvelopeOptions bad_ref;
  bad_ref.reference_norm = -1.0;
  EXPECT_THROW(fit_upper_envelope(g, L, bad_ref), Error);
}

}  // namespace
}  // namespace signopt::estimate
