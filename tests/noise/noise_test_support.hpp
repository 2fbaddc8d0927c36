#pragma once
// Helpers for the statistical tests of the noise models.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "signopt/core/rng.hpp"
#include "signopt/noise/noise_model.hpp"

namespace signopt::testing {

// n draws from `model` on the stream derived from `seed`.
inline std::vector<double> draw(const NoiseModel& model, std::size_t n, std::uint64_t seed) {
  Rng rng = Rng::derive({seed, stream_tag("noise-test")});
  std::vector<double> xs(n);
  model.sample(rng, xs);
  return xs;
}

// Ranks 0..n−1 (ties are measure-zero for continuous laws).
inline std::vector<double> ranks(const std::vector<double>& xs) {
  std::vector<std::size_t> order(xs.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return xs[a] < xs[b]; });
  std::vector<double> r(xs.size());
  for (std::size_t i = 0; i < order.size(); ++i) r[order[i]] = static_cast<double>(i);
  return r;
}

// Spearman rank correlation: Pearson correlation of the ranks, meaningful for heavy tails.
// Under independence its standard deviation is 1/√(n−1).
inline double spearman(const std::vector<double>& a, const std::vector<double>& b) {
  const std::vector<double> ra = ranks(a), rb = ranks(b);
  const double n = static_cast<double>(a.size());
  const double mean = (n - 1.0) / 2.0;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < ra.size(); ++i) {
    sab += (ra[i] - mean) * (rb[i] - mean);
    saa += (ra[i] - mean) * (ra[i] - mean);
    sbb += (rb[i] - mean) * (rb[i] - mean);
  }
  return sab / std::sqrt(saa * sbb);
}

// Fraction of draws in (lo, hi].
inline double fraction_in(const std::vector<double>& xs, double lo, double hi) {
  const auto c = std::count_if(xs.begin(), xs.end(), [&](double x) { return x > lo && x <= hi; });
  return static_cast<double>(c) / static_cast<double>(xs.size());
}

}  // namespace signopt::testing
