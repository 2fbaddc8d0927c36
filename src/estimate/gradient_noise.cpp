#include "signopt/estimate/gradient_noise.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "signopt/core/error.hpp"
#include "signopt/core/statistics.hpp"
#include "signopt/core/tail_index.hpp"

namespace signopt::estimate {

Matrix sample_gradient_noise(GradientOracle& oracle, const Vector& x, Index samples,
                             std::span<const Index> coordinates) {
  const Problem& problem = oracle.problem();
  require(samples >= 2, "noise estimate: need at least 2 samples, got {}", samples);
  require(x.size() == problem.dim(), "noise estimate: the point has {} coordinates, the problem {}",
          x.size(), problem.dim());
  for (Index c : coordinates) {
    require(c >= 0 && c < problem.dim(), "noise estimate: coordinate {} is outside [0, {})", c,
            problem.dim());
  }
  Vector exact, g;
  problem.gradient(x, exact);
  Matrix noise(samples, static_cast<Index>(coordinates.size()));
  for (Index s = 0; s < samples; ++s) {
    if (oracle.sampling() == Sampling::Full) oracle.hint_exact_gradient(exact);
    oracle.estimate(x, 1, g);
    for (std::size_t j = 0; j < coordinates.size(); ++j) {
      noise(s, static_cast<Index>(j)) = g[coordinates[j]] - exact[coordinates[j]];
    }
  }
  return noise;
}

std::size_t default_hill_k(std::size_t samples) {
  const std::size_t k = std::max<std::size_t>(10, (samples + 99) / 100);
  return samples > 1 ? std::min(k, samples - 1) : 1;
}

CoordinateNoise analyze_coordinate(std::span<const double> noise, double kappa,
                                   std::size_t hill_k) {
  require(kappa > 1.0 && kappa <= 2.0, "noise estimate: kappa must be in (1, 2], got {}", kappa);
  const std::size_t n = noise.size();
  require(n >= 2, "noise estimate: need at least 2 samples per coordinate, got {}", n);
  require(hill_k >= 1 && hill_k < n,
          "noise estimate: the Hill estimator's k must be in [1, n) = [1, {}), got {}", n, hill_k);
  CoordinateNoise c;
  c.symmetry = symmetry_test(noise);  // also rejects NaN
  double sum = 0.0, moment = 0.0;
  std::size_t nonzero = 0;
  for (double z : noise) {
    sum += z;
    moment += std::pow(std::abs(z), kappa);
    nonzero += z != 0.0 ? 1 : 0;
  }
  c.mean = sum / static_cast<double>(n);
  c.moment = moment / static_cast<double>(n);
  c.sigma = std::pow(c.moment, 1.0 / kappa);
  if (nonzero < hill_k + 1) {
    c.tail_index = std::numeric_limits<double>::quiet_NaN();
    c.tail_index_se = std::numeric_limits<double>::quiet_NaN();
  } else {
    // A power tail has (almost surely) distinct order statistics. When the k + 1 largest
    // magnitudes take fewer than (k + 1)/2 distinct values the tail is discrete (bounded noise
    // such as minibatch noise of one-hot data) and the Hill quotient measures the spacing of a
    // few atoms, not a tail: report α̂ = +∞ (no power tail).
    std::vector<double> top(n);
    for (std::size_t i = 0; i < n; ++i) top[i] = std::abs(noise[i]);
    const auto kth = top.begin() + static_cast<std::ptrdiff_t>(hill_k);
    std::nth_element(top.begin(), kth, top.end(), std::greater<>());
    const double threshold = top[hill_k];
    std::sort(top.begin(), kth + 1);
    const auto distinct = static_cast<std::size_t>(std::unique(top.begin(), kth + 1) - top.begin());
    const bool tied = 2 * distinct < hill_k + 1;
    if (tied || !std::isfinite(threshold)) {
      c.tail_index = std::numeric_limits<double>::infinity();
      c.tail_index_se = std::numeric_limits<double>::quiet_NaN();
    } else {
      const TailIndexEstimate e = hill_tail_index(noise, hill_k);
      c.tail_index = e.index;
      c.tail_index_se = e.standard_error;
      if (n >= 8) {
        const TailIndexEstimate b = block_sum_tail_index(noise, default_block_size(n));
        c.block_tail_index = b.index;
        c.block_tail_index_se = b.standard_error;
      }
    }
  }
  return c;
}

NoiseAnalysis analyze_noise(const Matrix& noise, std::span<const Index> coordinates, double kappa,
                            std::size_t hill_k) {
  require(noise.cols() == static_cast<Index>(coordinates.size()),
          "noise estimate: {} noise columns but {} coordinates", noise.cols(), coordinates.size());
  require(noise.cols() >= 1, "noise estimate: no coordinates to analyse");
  NoiseAnalysis a;
  a.kappa = kappa;
  a.hill_k = hill_k;
  a.samples = noise.rows();
  std::vector<double> finite, block, block_se, sigmas;
  a.block_k = default_block_size(static_cast<std::size_t>(noise.rows()));
  double power_sum = 0.0, min_p = 1.0;
  for (Index j = 0; j < noise.cols(); ++j) {
    CoordinateNoise c = analyze_coordinate(
        std::span<const double>(noise.col(j).data(), static_cast<std::size_t>(noise.rows())), kappa,
        hill_k);
    c.coordinate = coordinates[static_cast<std::size_t>(j)];
    if (std::isnan(c.tail_index)) {
      ++a.undefined_tail;
    } else if (std::isinf(c.tail_index)) {
      ++a.unbounded_tail;
    } else {
      ++a.finite_tail;
      finite.push_back(c.tail_index);
      if (!std::isnan(c.block_tail_index)) {
        block.push_back(c.block_tail_index);
        block_se.push_back(c.block_tail_index_se);
      }
      a.tail_at_most_2 += c.tail_index <= 2.0 ? 1 : 0;
      a.tail_at_most_kappa += c.tail_index <= kappa ? 1 : 0;
    }
    sigmas.push_back(c.sigma);
    a.sigma_l1 += c.sigma;
    power_sum += c.moment;
    a.sign_rejected += c.symmetry.sign_p_value < 0.05 ? 1 : 0;
    a.tail_balance_rejected += c.symmetry.tail_p_value < 0.05 ? 1 : 0;
    min_p = std::min({min_p, c.symmetry.sign_p_value, c.symmetry.tail_p_value});
    a.coordinates.push_back(std::move(c));
  }
  a.sigma_kappa = std::pow(power_sum, 1.0 / kappa);
  a.sigma_median = median(sigmas);
  a.min_p_bonferroni = std::min(1.0, min_p * 2.0 * static_cast<double>(noise.cols()));
  if (!finite.empty()) {
    std::sort(finite.begin(), finite.end());
    a.tail_median = quantile_sorted(finite, 0.5);
    a.tail_q10 = quantile_sorted(finite, 0.1);
    a.tail_q90 = quantile_sorted(finite, 0.9);
    a.tail_min = finite.front();
    a.tail_lower = a.tail_median;
  } else {
    a.tail_median = a.tail_q10 = a.tail_q90 = a.tail_min = std::numeric_limits<double>::quiet_NaN();
  }
  if (!block.empty()) {
    std::sort(block.begin(), block.end());
    a.block_tail_median = quantile_sorted(block, 0.5);
    // The block-sum estimator saturates at 2: finite-variance noise reads 2 up to sampling error,
    // so a reading counts as evidence of infinite variance when it is below 2 by more than twice
    // the standard error of the median (≈ 1.25 × the median per-coordinate error / √coordinates).
    // Erring low is safe: a smaller κ is always valid for a finite-variance law.
    a.block_tail_median_se =
        1.2533 * median(block_se) / std::sqrt(static_cast<double>(block.size()));
    if (a.block_tail_median < 2.0 - 2.0 * a.block_tail_median_se) {
      a.tail_lower = std::min(a.tail_lower, a.block_tail_median);
    }
  }
  a.kappa_allowed = kappa_below_tail_index(a.tail_lower);
  a.kappa_ruled_out = a.finite_tail > 0 && kappa >= a.tail_lower;
  return a;
}

}  // namespace signopt::estimate
