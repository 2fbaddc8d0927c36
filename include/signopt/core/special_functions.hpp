#pragma once
// Special functions and closed-form distribution functions, written here so that tests and
// estimators do not depend on an external maths library.
namespace signopt {

// Regularised incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b), a, b > 0, x ∈ [0, 1].
// Evaluated by the continued fraction of DLMF 8.17.22 (modified Lentz algorithm), using the
// symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges slowly. Relative accuracy
// ~1e-14. Throws Error for a ≤ 0, b ≤ 0 or x ∉ [0, 1].
double regularized_incomplete_beta(double a, double b, double x);

// Φ(x), the standard normal CDF.
double normal_cdf(double x);
// CDF of the Cauchy law with location 0 and the given scale: 1/2 + atan(x/scale)/π.
double cauchy_cdf(double x, double scale = 1.0);
// CDF of Student's t with ν > 0 degrees of freedom (location 0, scale 1):
// for t < 0, F(t) = I_{ν/(ν+t²)}(ν/2, 1/2) / 2, and F(t) = 1 − F(−t).
double student_t_cdf(double t, double nu);
// CDF of the Lévy law with location 0 and scale c > 0: F(x) = erfc(√(c / (2x))) for x > 0.
double levy_cdf(double x, double scale = 1.0);

}  // namespace signopt
