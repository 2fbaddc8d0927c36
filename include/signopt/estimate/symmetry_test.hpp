#pragma once
// Is a noise sample symmetric about 0? Majority vote (docs/theory.md §1, §4) assumes it.
//
// Two complementary tests on the non-zero values:
//   sign test      H0: P(z > 0) = P(z < 0). The count of positive values among the n non-zero
//                  ones is Binomial(n, 1/2) under H0; exact two-sided p-value
//                  p = min(1, 2 P(X ≤ min(n₊, n₋))) with P(X ≤ m) = I_{1/2}(n − m, m + 1).
//                  Sensitive to a shifted median (a skewed law with mean 0 has one).
//   tail balance   H0: z and −z have the same law, hence the positive values and the magnitudes
//                  of the negative values too: a two-sample Kolmogorov–Smirnov test between
//                  {z : z > 0} and {−z : z < 0}. Sensitive to unequal tails with equal medians.
// Symmetry implies both nulls; a small p-value in either is evidence against it.
#include <cstddef>
#include <span>

namespace signopt::estimate {

struct SymmetryTest {
  std::size_t positive = 0, negative = 0, zero = 0;
  double sign_p_value = 1.0;       // exact binomial, two-sided
  double tail_ks_statistic = 0.0;  // sup |F₊ − F₋| of the positive parts and |negative parts|
  double tail_p_value = 1.0;       // 1 when either side is empty
};

// Throws Error when the sample contains NaN.
SymmetryTest symmetry_test(std::span<const double> sample);

// P(X ≤ m) for X ~ Binomial(n, 1/2), exact (regularised incomplete beta).
double binomial_half_cdf(std::size_t m, std::size_t n);

}  // namespace signopt::estimate
