#include "signopt/core/statistics.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "signopt/core/error.hpp"

namespace signopt {
namespace {

TEST(Statistics, MeanVarianceMedian) {
  const std::vector<double> xs{2, 4, 4, 4, 5, 5, 7, 9};
  EXPECT_DOUBLE_EQ(mean(xs), 5.0);
  EXPECT_DOUBLE_EQ(variance(xs), 32.0 / 7.0);
  EXPECT_DOUBLE_EQ(median(xs), 4.5);
}

TEST(Statistics, QuantileMatchesNumpyLinear) {
  // numpy.quantile([1, 2, 3, 4, 10], [0, .25, .9, 1]) = [1, 2, 7.6, 10]
  const std::vector<double> xs{10, 3, 1, 4, 2};
  EXPECT_DOUBLE_EQ(quantile(xs, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(quantile(xs, 0.25), 2.0);
  EXPECT_NEAR(quantile(xs, 0.9), 7.6, 1e-12);
  EXPECT_DOUBLE_EQ(quantile(xs, 1.0), 10.0);
  EXPECT_THROW(quantile(xs, 1.5), Error);
}

}  // namespace
}  // namespace signopt
