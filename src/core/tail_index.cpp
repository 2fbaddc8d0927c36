#include "signopt/core/tail_index.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "signopt/core/error.hpp"

namespace signopt {

TailIndexEstimate hill_tail_index(std::span<const double> sample, std::size_t k) {
  const std::size_t n = sample.size();
  require(k >= 1 && k < n,
          "Hill estimator needs 1 <= k < n order statistics, got k = {} with n = {}", k, n);
  std::vector<double> magnitudes(n);
  for (std::size_t i = 0; i < n; ++i) {
    require(!std::isnan(sample[i]), "Hill estimator: the sample contains NaN");
    magnitudes[i] = std::abs(sample[i]);
  }
  // Put the k+1 largest magnitudes first, the (k+1)-th largest at position k.
  std::nth_element(magnitudes.begin(), magnitudes.begin() + static_cast<std::ptrdiff_t>(k),
                   magnitudes.end(), std::greater<>());
  const double threshold = magnitudes[k];
  require(threshold > 0.0 && std::isfinite(threshold),
          "Hill estimator: the {}-th largest magnitude is {}, it must be positive and finite",
          k + 1, threshold);
  double sum = 0.0;
  for (std::size_t i = 0; i < k; ++i) sum += std::log(magnitudes[i] / threshold);
  require(sum > 0.0 && std::isfinite(sum),
          "Hill estimator: the top {} magnitudes are degenerate (all equal or infinite)", k);
  TailIndexEstimate e;
  e.k = k;
  e.index = static_cast<double>(k) / sum;
  e.standard_error = e.index / std::sqrt(static_cast<double>(k));
  return e;
}

}  // namespace signopt
