#include "signopt/core/tail_index.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "signopt/core/error.hpp"
#include "signopt/core/rng.hpp"

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

}  // namespace
}  // namespace signopt
