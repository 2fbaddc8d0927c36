#include "signopt/core/ks_test.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "signopt/core/error.hpp"
#include "signopt/core/rng.hpp"

namespace signopt {
namespace {

double uniform_cdf(double x) { return std::clamp(x, 0.0, 1.0); }

TEST(KolmogorovSurvival, KnownQuantiles) {
  // Critical values of the Kolmogorov distribution: P(K > 1.3581) = 0.05, P(K > 1.6276) = 0.01,
  // P(K > 1.2238) = 0.10, median 0.8276.
  EXPECT_NEAR(kolmogorov_survival(1.3581), 0.05, 1e-4);
  EXPECT_NEAR(kolmogorov_survival(1.6276), 0.01, 1e-4);
  EXPECT_NEAR(kolmogorov_survival(1.2238), 0.10, 1e-4);
  EXPECT_NEAR(kolmogorov_survival(0.8276), 0.50, 1e-4);
  EXPECT_DOUBLE_EQ(kolmogorov_survival(0.0), 1.0);
  EXPECT_LT(kolmogorov_survival(4.0), 1e-13);
  // The two series agree where the code switches from one to the other.
  EXPECT_NEAR(kolmogorov_survival(1.0 - 1e-12), kolmogorov_survival(1.0 + 1e-12), 1e-11);
}

TEST(KsStatistic, HandComputed) {
  // F_n jumps at 0.1, 0.4, 0.7; the largest gap is 1 − 0.7 just after the last point.
  const std::vector<double> xs{0.7, 0.1, 0.4};
  EXPECT_NEAR(ks_statistic(xs, uniform_cdf), 0.3, 1e-15);
  // Two-sample: {1,2,3} vs {2.5,4}: after 2 the ECDFs are 2/3 and 0.
  const std::vector<double> a{3, 1, 2}, b{4, 2.5};
  EXPECT_NEAR(ks_two_sample_statistic(a, b), 2.0 / 3.0, 1e-15);
  EXPECT_NEAR(ks_two_sample_statistic(a, a), 0.0, 1e-15);
}

TEST(KsTest, AcceptsTheRightLawAndRejectsAShiftedOne) {
  Rng rng(5);
  std::vector<double> u(20000), v(20000);
  for (double& x : u) x = rng.uniform();
  for (double& x : v) x = rng.uniform();
  EXPECT_GT(ks_test(u, uniform_cdf).p_value, 0.01);
  EXPECT_GT(ks_two_sample_test(u, v).p_value, 0.01);
  for (double& x : v) x = 0.97 * x;  // a 3% squeeze
  EXPECT_LT(ks_test(v, uniform_cdf).p_value, 1e-6);
  EXPECT_LT(ks_two_sample_test(u, v).p_value, 1e-6);
}

TEST(KsTest, PValuesAreUniformUnderTheNull) {
  // 400 independent tests at level 0.1: the rejection count is Binomial(400, 0.1), sd 6.
  Rng rng(11);
  int rejected = 0;
  std::vector<double> sample(100);
  for (int trial = 0; trial < 400; ++trial) {
    for (double& x : sample) x = rng.uniform();
    rejected += ks_test(sample, uniform_cdf).p_value < 0.1;
  }
  EXPECT_GT(rejected, 40 - 20);
  EXPECT_LT(rejected, 40 + 20);
}

TEST(KsTest, RejectsEmptyOrNaN) {
  const std::vector<double> empty, nan{0.1, std::nan("")};
  EXPECT_THROW(ks_test(empty, uniform_cdf), Error);
  EXPECT_THROW(ks_test(nan, uniform_cdf), Error);
  EXPECT_THROW(ks_two_sample_test(nan, nan), Error);
}

}  // namespace
}  // namespace signopt
