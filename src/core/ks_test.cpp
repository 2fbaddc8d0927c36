#include "signopt/core/ks_test.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "signopt/core/error.hpp"

namespace signopt {
namespace {

std::vector<double> sorted_copy(std::span<const double> xs, const char* what) {
  require(!xs.empty(), "Kolmogorov–Smirnov test: the {} is empty", what);
  std::vector<double> v(xs.begin(), xs.end());
  require(std::none_of(v.begin(), v.end(), [](double x) { return std::isnan(x); }),
          "Kolmogorov–Smirnov test: the {} contains NaN", what);
  std::sort(v.begin(), v.end());
  return v;
}

double p_value_for(double d, double n) {
  const double root = std::sqrt(n);
  return kolmogorov_survival((root + 0.12 + 0.11 / root) * d);
}

}  // namespace

double kolmogorov_survival(double lambda) {
  if (lambda <= 0.0) return 1.0;
  if (lambda < 1.0) {
    // For small λ the alternating series converges slowly; use the theta-function form of the
    // CDF instead: P(K ≤ λ) = √(2π)/λ Σ_{k≥1} exp(−(2k−1)² π² / (8λ²)).
    const double c = -std::numbers::pi * std::numbers::pi / (8.0 * lambda * lambda);
    double cdf = 0.0;
    for (int k = 1; k <= 20; ++k) {
      const double odd = 2.0 * k - 1.0;
      cdf += std::exp(c * odd * odd);
    }
    cdf *= std::sqrt(2.0 * std::numbers::pi) / lambda;
    return std::clamp(1.0 - cdf, 0.0, 1.0);
  }
  // Q(λ) = 2 Σ (−1)^{k−1} exp(−2k²λ²): terms fall at least like e^{−2k²}.
  double sum = 0.0;
  double sign = 1.0;
  for (int k = 1; k <= 20; ++k) {
    sum += sign * std::exp(-2.0 * k * k * lambda * lambda);
    sign = -sign;
  }
  return std::clamp(2.0 * sum, 0.0, 1.0);
}

double ks_statistic(std::span<const double> sample, const std::function<double(double)>& cdf) {
  const std::vector<double> x = sorted_copy(sample, "sample");
  const double n = static_cast<double>(x.size());
  double d = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double f = cdf(x[i]);
    // F_n jumps from i/n to (i+1)/n at x[i].
    d = std::max({d, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
  }
  return d;
}

KsResult ks_test(std::span<const double> sample, const std::function<double(double)>& cdf) {
  KsResult r;
  r.statistic = ks_statistic(sample, cdf);
  r.effective_size = sample.size();
  r.p_value = p_value_for(r.statistic, static_cast<double>(sample.size()));
  return r;
}

double ks_two_sample_statistic(std::span<const double> a, std::span<const double> b) {
  const std::vector<double> x = sorted_copy(a, "first sample");
  const std::vector<double> y = sorted_copy(b, "second sample");
  const double n = static_cast<double>(x.size()), m = static_cast<double>(y.size());
  std::size_t i = 0, j = 0;
  double d = 0.0;
  // Walk the merged order; compare the two step functions after each distinct value.
  while (i < x.size() && j < y.size()) {
    const double v = std::min(x[i], y[j]);
    while (i < x.size() && x[i] == v) ++i;
    while (j < y.size() && y[j] == v) ++j;
    d = std::max(d, std::abs(static_cast<double>(i) / n - static_cast<double>(j) / m));
  }
  return d;
}

KsResult ks_two_sample_test(std::span<const double> a, std::span<const double> b) {
  KsResult r;
  r.statistic = ks_two_sample_statistic(a, b);
  const double n = static_cast<double>(a.size()), m = static_cast<double>(b.size());
  const double effective = n * m / (n + m);
  r.effective_size = static_cast<std::size_t>(effective);
  r.p_value = p_value_for(r.statistic, effective);
  return r;
}

}  // namespace signopt
