#include "signopt/core/special_functions.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "signopt/core/error.hpp"

namespace signopt {
namespace {

// For integer a, b: I_x(a, b) = P(Binomial(a + b − 1, x) ≥ a).
double binomial_upper_tail(int a, int b, double x) {
  const int n = a + b - 1;
  double sum = 0.0;
  for (int j = a; j <= n; ++j) {
    const double log_choose =
        std::lgamma(n + 1.0) - std::lgamma(j + 1.0) - std::lgamma(n - j + 1.0);
    sum += std::exp(log_choose + j * std::log(x) + (n - j) * std::log1p(-x));
  }
  return sum;
}

TEST(IncompleteBeta, ClosedFormCases) {
  for (double x : {0.0, 0.01, 0.3, 0.5, 0.77, 0.999, 1.0}) {
    EXPECT_NEAR(regularized_incomplete_beta(1.0, 1.0, x), x, 1e-14);
    EXPECT_NEAR(regularized_incomplete_beta(2.5, 1.0, x), std::pow(x, 2.5), 1e-14);
    EXPECT_NEAR(regularized_incomplete_beta(1.0, 3.7, x), 1.0 - std::pow(1.0 - x, 3.7), 1e-14);
  }
  EXPECT_NEAR(regularized_incomplete_beta(2.0, 3.0, 0.5), 11.0 / 16.0, 1e-15);
}

TEST(IncompleteBeta, MatchesBinomialTailsForLargeParameters) {
  for (auto [a, b] : {std::pair{50, 60}, std::pair{3, 200}, std::pair{120, 7}}) {
    for (double x : {0.02, 0.3, 0.45, 0.5, 0.9}) {
      const double expected = binomial_upper_tail(a, b, x);
      EXPECT_NEAR(regularized_incomplete_beta(a, b, x), expected, 1e-12 + 1e-10 * expected)
          << "a=" << a << " b=" << b << " x=" << x;
    }
  }
}

TEST(IncompleteBeta, SymmetryAndArcsine) {
  for (double x : {0.1, 0.4, 0.6, 0.95}) {
    EXPECT_NEAR(
        regularized_incomplete_beta(0.7, 4.2, x) + regularized_incomplete_beta(4.2, 0.7, 1 - x),
        1.0, 1e-14);
    // I_x(1/2, 1/2) = (2/π) asin(√x).
    EXPECT_NEAR(regularized_incomplete_beta(0.5, 0.5, x), 2.0 / M_PI * std::asin(std::sqrt(x)),
                1e-13);
  }
}

TEST(IncompleteBeta, RejectsBadArguments) {
  EXPECT_THROW(regularized_incomplete_beta(0.0, 1.0, 0.5), Error);
  EXPECT_THROW(regularized_incomplete_beta(1.0, -1.0, 0.5), Error);
  EXPECT_THROW(regularized_incomplete_beta(1.0, 1.0, 1.5), Error);
}

TEST(StudentTCdf, ClosedFormsForOneAndTwoDegrees) {
  for (double t : {-50.0, -3.0, -0.5, 0.0, 1e-3, 0.7, 4.0, 1e4}) {
    EXPECT_NEAR(student_t_cdf(t, 1.0), cauchy_cdf(t), 1e-14) << t;
    EXPECT_NEAR(student_t_cdf(t, 2.0), 0.5 + t / (2.0 * std::sqrt(2.0 + t * t)), 1e-14) << t;
  }
  EXPECT_DOUBLE_EQ(student_t_cdf(0.0, 3.3), 0.5);
}

TEST(StudentTCdf, SymmetricAndTendsToNormal) {
  for (double t : {0.3, 1.0, 2.5}) {
    EXPECT_NEAR(student_t_cdf(-t, 1.5) + student_t_cdf(t, 1.5), 1.0, 1e-14);
    EXPECT_NEAR(student_t_cdf(t, 1e7), normal_cdf(t), 1e-7);
  }
  // ν = 3: F(t) = 1/2 + (1/π)[t/(√3 (1 + t²/3)) + atan(t/√3)].
  for (double t : {-2.0, 0.5, 3.0}) {
    const double s = t / std::sqrt(3.0);
    EXPECT_NEAR(student_t_cdf(t, 3.0), 0.5 + (s / (1 + s * s) + std::atan(s)) / M_PI, 1e-14);
  }
}

TEST(Cdfs, NormalAndLevyValues) {
  EXPECT_NEAR(normal_cdf(1.959963984540054), 0.975, 1e-15);
  EXPECT_NEAR(normal_cdf(-1.0), 0.15865525393145707, 1e-15);
  // Lévy(c) is the law of c / Z² for Z ~ N(0, 1): P(c/Z² ≤ x) = P(|Z| ≥ √(c/x)).
  EXPECT_NEAR(levy_cdf(2.0, 0.5), 2.0 * (1.0 - normal_cdf(0.5)), 1e-15);
  EXPECT_EQ(levy_cdf(-1.0, 1.0), 0.0);
}

}  // namespace
}  // namespace signopt
