#include "signopt/core/tail_index.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
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

TailIndexEstimate block_sum_tail_index(std::span<const double> sample, std::size_t K) {
  require(K >= 2, "block-sum tail index: the block size K must be at least 2, got {}", K);
  const std::size_t blocks = sample.size() / K;
  require(blocks >= 2, "block-sum tail index: {} draws make fewer than two blocks of K = {}",
          sample.size(), K);
  // Sums and sums of squares of log|X_j| and log|Y_i| (zeros skipped).
  double log_x = 0.0, log_y = 0.0, log_x2 = 0.0, log_y2 = 0.0;
  std::size_t nx = 0, ny = 0;
  for (std::size_t b = 0; b < blocks; ++b) {
    double y = 0.0;
    for (std::size_t j = b * K; j < (b + 1) * K; ++j) {
      const double x = sample[j];
      require(std::isfinite(x), "block-sum tail index: the sample contains {}", x);
      y += x;
      if (x != 0.0) {
        const double l = std::log(std::abs(x));
        log_x += l;
        log_x2 += l * l;
        ++nx;
      }
    }
    if (y != 0.0) {
      const double l = std::log(std::abs(y));
      log_y += l;
      log_y2 += l * l;
      ++ny;
    }
  }
  require(nx >= 2 && ny >= 2, "block-sum tail index: too few non-zero draws ({} of {})", nx,
          blocks * K);
  const double mx = log_x / static_cast<double>(nx), my = log_y / static_cast<double>(ny);
  const double vx = std::max(0.0, log_x2 / static_cast<double>(nx) - mx * mx);
  const double vy = std::max(0.0, log_y2 / static_cast<double>(ny) - my * my);
  const double log_k = std::log(static_cast<double>(K));
  const double inverse = (my - mx) / log_k;
  TailIndexEstimate e;
  e.k = K;
  e.index = inverse > 0 ? 1.0 / inverse : std::numeric_limits<double>::infinity();
  // Delta method: SE(1/α̂) from the two means (treated as independent), SE(α̂) = α̂² SE(1/α̂).
  const double se_inverse =
      std::sqrt(vy / static_cast<double>(ny) + vx / static_cast<double>(nx)) / log_k;
  e.standard_error = std::isfinite(e.index) ? e.index * e.index * se_inverse
                                            : std::numeric_limits<double>::infinity();
  return e;
}

std::size_t default_block_size(std::size_t samples) {
  return std::max<std::size_t>(2,
                               static_cast<std::size_t>(std::sqrt(static_cast<double>(samples))));
}

std::optional<double> kappa_below_tail_index(double alpha) {
  if (std::isnan(alpha) || !(alpha > 1.0)) return std::nullopt;
  if (std::isinf(alpha)) return 2.0;
  return std::min(2.0, 1.0 + 0.75 * (alpha - 1.0));
}

}  // namespace signopt
