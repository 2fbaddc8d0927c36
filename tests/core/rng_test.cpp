#include "signopt/core/rng.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <vector>

namespace signopt {
namespace {

TEST(Rng, SameKeysGiveSameStream) {
  Rng a = Rng::derive({1, 2, 3});
  Rng b = Rng::derive({1, 2, 3});
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.next(), b.next());
}

TEST(Rng, DifferentKeysGiveDifferentStreams) {
  Rng a = Rng::derive({1, 2, 3});
  Rng b = Rng::derive({1, 2, 4});
  Rng c = Rng::derive({1, 3, 2});
  int equal_ab = 0, equal_ac = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto x = a.next();
    equal_ab += x == b.next();
    equal_ac += x == c.next();
  }
  EXPECT_EQ(equal_ab, 0);
  EXPECT_EQ(equal_ac, 0);
}

TEST(Rng, UniformMomentsAndRange) {
  Rng r(42);
  const int n = 200000;
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double u = r.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    sum2 += u * u;
  }
  // mean 1/2 (sd of the mean ≈ 0.00065), variance 1/12.
  EXPECT_NEAR(sum / n, 0.5, 0.004);
  EXPECT_NEAR(sum2 / n - (sum / n) * (sum / n), 1.0 / 12.0, 0.002);
}

TEST(Rng, UniformIntIsUnbiasedAndInRange) {
  Rng r(7);
  std::vector<int> counts(6, 0);
  const int n = 60000;
  for (int i = 0; i < n; ++i) {
    const auto k = r.uniform_int(6);
    ASSERT_LT(k, 6u);
    ++counts[k];
  }
  // χ² with 5 degrees of freedom; 20.5 is the 0.999 quantile.
  double chi2 = 0;
  for (int c : counts) chi2 += (c - n / 6.0) * (c - n / 6.0) / (n / 6.0);
  EXPECT_LT(chi2, 20.5);
}

TEST(Rng, NormalMoments) {
  Rng r(3);
  const int n = 200000;
  double sum = 0, sum2 = 0, sum4 = 0;
  for (int i = 0; i < n; ++i) {
    const double z = r.normal();
    sum += z;
    sum2 += z * z;
    sum4 += z * z * z * z;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.01);
  EXPECT_NEAR(sum2 / n, 1.0, 0.015);
  EXPECT_NEAR(sum4 / n, 3.0, 0.1);
}

TEST(Rng, SplitChildrenDiffer) {
  Rng parent(9);
  Rng c1 = parent.split(1), c2 = parent.split(2);
  EXPECT_NE(c1.next(), c2.next());
  Rng c1_again = parent.split(1);
  Rng c1_fresh = Rng(9).split(1);
  EXPECT_EQ(c1_again.next(), c1_fresh.next());
}

}  // namespace
}  // namespace signopt
