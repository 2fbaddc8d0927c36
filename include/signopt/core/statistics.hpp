#pragma once
// Small descriptive statistics used by tests, the runner and the estimators.
#include <span>
#include <vector>

namespace signopt {

double mean(std::span<const double> xs);
// Unbiased sample variance (n − 1 denominator); 0 for fewer than two values.
double variance(std::span<const double> xs);
double standard_deviation(std::span<const double> xs);
// Quantile with linear interpolation between order statistics (Hyndman–Fan type 7, numpy's
// default), q ∈ [0, 1]. The span is copied; use quantile_sorted on already sorted data.
double quantile(std::span<const double> xs, double q);
double quantile_sorted(std::span<const double> sorted, double q);
double median(std::span<const double> xs);

}  // namespace signopt
