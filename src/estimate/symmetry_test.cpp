#include "signopt/estimate/symmetry_test.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "signopt/core/error.hpp"
#include "signopt/core/ks_test.hpp"
#include "signopt/core/special_functions.hpp"

namespace signopt::estimate {

double binomial_half_cdf(std::size_t m, std::size_t n) {
  if (m >= n) return 1.0;
  // P(X ≤ m) = I_{1−p}(n − m, m + 1) with p = 1/2.
  return regularized_incomplete_beta(static_cast<double>(n - m), static_cast<double>(m) + 1.0, 0.5);
}

SymmetryTest symmetry_test(std::span<const double> sample) {
  SymmetryTest t;
  std::vector<double> positive, negative;
  for (double z : sample) {
    require(!std::isnan(z), "symmetry test: the sample contains NaN");
    if (z > 0) {
      positive.push_back(z);
    } else if (z < 0) {
      negative.push_back(-z);
    } else {
      ++t.zero;
    }
  }
  t.positive = positive.size();
  t.negative = negative.size();
  const std::size_t n = t.positive + t.negative;
  if (n > 0) {
    t.sign_p_value = std::min(1.0, 2.0 * binomial_half_cdf(std::min(t.positive, t.negative), n));
  }
  if (!positive.empty() && !negative.empty()) {
    const KsResult ks = ks_two_sample_test(positive, negative);
    t.tail_ks_statistic = ks.statistic;
    t.tail_p_value = ks.p_value;
  }
  return t;
}

}  // namespace signopt::estimate
