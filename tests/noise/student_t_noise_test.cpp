#include "signopt/noise/student_t_noise.hpp"

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

TEST(StudentTNoise, KolmogorovSmirnovAgainstTheTCdf) {
  // ν from very heavy (no mean) through the seed study's 1.5 to nearly Gaussian.
  for (double nu : {0.5, 1.5, 3.0, 30.0}) {
    const double scale = 0.7;
    const StudentTNoise model(nu, scale);
    const auto xs = testing::draw(model, 40000, static_cast<std::uint64_t>(nu * 10));
    EXPECT_GT(ks_test(xs, [&](double x) { return student_t_cdf(x / scale, nu); }).p_value, 1e-3)
        << "nu=" << nu;
    // The test has power: a 10% error in the scale is rejected.
    EXPECT_LT(ks_test(xs, [&](double x) { return student_t_cdf(x / (1.1 * scale), nu); }).p_value,
              1e-3)
        << "nu=" << nu;
  }
}

TEST(StudentTNoise, OneDegreeIsCauchy) {
  const auto xs = testing::draw(StudentTNoise(1.0, 2.0), 40000, 5);
  EXPECT_GT(ks_test(xs, [](double x) { return cauchy_cdf(x, 2.0); }).p_value, 1e-3);
}

TEST(StudentTNoise, HillTailIndexNearNu) {
  for (double nu : {1.5, 2.5}) {
    const auto xs = testing::draw(StudentTNoise(nu), 200000, 6);
    const TailIndexEstimate e = hill_tail_index(xs, 1000);  // top 0.5%
    EXPECT_NEAR(e.index, nu, 0.15 * nu) << "nu=" << nu;
  }
}

TEST(StudentTNoise, MetadataAndMoments) {
  const StudentTNoise model(4.0, 0.5);
  EXPECT_EQ(model.name(), "student-t");
  EXPECT_TRUE(model.symmetric());
  EXPECT_TRUE(model.zero_mean());
  EXPECT_FALSE(StudentTNoise(0.9).zero_mean());
  EXPECT_EQ(model.moment_supremum(), 4.0);
  // Var = scale² ν/(ν − 2).
  EXPECT_NEAR(*model.absolute_moment(2.0), 0.25 * 2.0, 1e-12);
  EXPECT_TRUE(std::isinf(*model.absolute_moment(4.0)));
  // E|z| for ν = 4: scale · 2√ν Γ((ν+1)/2) / (√π (ν−1) Γ(ν/2)) = 0.5 · 2·2·(3√π/4)/(√π·3) = 0.5.
  EXPECT_NEAR(*model.absolute_moment(1.0), 0.5, 1e-12);
  const auto xs = testing::draw(model, 100000, 7);
  EXPECT_NEAR(variance(xs), 0.5, 0.03);
}

TEST(StudentTNoise, RejectsInvalidParameters) {
  EXPECT_THROW(StudentTNoise(0.0), Error);
  EXPECT_THROW(StudentTNoise(-2.0), Error);
  EXPECT_THROW(StudentTNoise(std::numeric_limits<double>::infinity()), Error);
  EXPECT_THROW(StudentTNoise(3.0, -1.0), Error);
}

}  // namespace
}  // namespace signopt
