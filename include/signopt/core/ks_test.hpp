#pragma once
// Kolmogorov–Smirnov goodness-of-fit tests: does a sample follow a given continuous law, and do
// two samples follow the same law?
#include <cstddef>
#include <functional>
#include <span>

namespace signopt {

struct KsResult {
  double statistic = 0.0;          // D = sup_x |F_n(x) − F(x)| (two-sample: sup |F_n − G_m|)
  double p_value = 1.0;            // asymptotic P(D ≥ observed) under the null hypothesis
  std::size_t effective_size = 0;  // n (two-sample: n m / (n + m))
};

// Q(λ) = P(K > λ) = 2 Σ_{k≥1} (−1)^{k−1} exp(−2k²λ²), the survival function of the Kolmogorov
// distribution (the limit law of √n D). Q(λ) = 1 for λ ≤ 0.
double kolmogorov_survival(double lambda);

// One-sample statistic D_n = sup_x |F_n(x) − F(x)| against a continuous CDF.
// The sample is copied and sorted; NaNs are an Error.
double ks_statistic(std::span<const double> sample, const std::function<double(double)>& cdf);

// One-sample test. The p-value is Q((√n + 0.12 + 0.11/√n) D) (Stephens 1970's finite-n
// correction of the asymptotic law), accurate to a few percent for n ≥ 5.
KsResult ks_test(std::span<const double> sample, const std::function<double(double)>& cdf);

// Two-sample statistic D = sup_x |F_n(x) − G_m(x)| and test, with n_e = n m / (n + m) in place
// of n in the p-value.
double ks_two_sample_statistic(std::span<const double> a, std::span<const double> b);
KsResult ks_two_sample_test(std::span<const double> a, std::span<const double> b);

}  // namespace signopt
