#include "signopt/core/special_functions.hpp"

#include <cmath>
#include <limits>
#include <numbers>

#include "signopt/core/error.hpp"

namespace signopt {
namespace {

// The continued fraction of DLMF 8.17.22:
//   I_x(a, b) = x^a (1−x)^b / (a B(a, b)) · 1 / (1 + d₁/(1 + d₂/(1 + …))),
//   d_{2m+1} = −(a+m)(a+b+m) x / ((a+2m)(a+2m+1)),  d_{2m} = m(b−m) x / ((a+2m−1)(a+2m)),
// evaluated by the modified Lentz method. Converges fast for x < (a+1)/(a+b+2).
double incomplete_beta_fraction(double a, double b, double x) {
  constexpr double tiny = 1e-300;
  constexpr double eps = 1e-16;
  constexpr int max_terms = 10000;
  // The leading "1 +" of the fraction, then terms d₁, d₂, ...
  double c = 1.0;
  double d = 1.0 - (a + b) * x / (a + 1.0);  // 1 + d₁
  if (std::abs(d) < tiny) d = tiny;
  d = 1.0 / d;
  double result = d;
  for (int m = 1; m <= max_terms; ++m) {
    const double dm = static_cast<double>(m);
    // Even term d_{2m}.
    double term = dm * (b - dm) * x / ((a + 2.0 * dm - 1.0) * (a + 2.0 * dm));
    d = 1.0 + term * d;
    if (std::abs(d) < tiny) d = tiny;
    c = 1.0 + term / c;
    if (std::abs(c) < tiny) c = tiny;
    d = 1.0 / d;
    result *= d * c;
    // Odd term d_{2m+1}.
    term = -(a + dm) * (a + b + dm) * x / ((a + 2.0 * dm) * (a + 2.0 * dm + 1.0));
    d = 1.0 + term * d;
    if (std::abs(d) < tiny) d = tiny;
    c = 1.0 + term / c;
    if (std::abs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double delta = d * c;
    result *= delta;
    if (std::abs(delta - 1.0) < eps) break;
  }
  return result;
}

}  // namespace

double regularized_incomplete_beta(double a, double b, double x) {
  require(a > 0.0 && b > 0.0 && std::isfinite(a) && std::isfinite(b),
          "incomplete beta needs finite a > 0 and b > 0, got a = {}, b = {}", a, b);
  require(x >= 0.0 && x <= 1.0, "incomplete beta needs x in [0, 1], got {}", x);
  if (x == 0.0) return 0.0;
  if (x == 1.0) return 1.0;
  // log of x^a (1−x)^b / B(a, b).
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  if (x < (a + 1.0) / (a + b + 2.0)) {
    return std::exp(log_front) * incomplete_beta_fraction(a, b, x) / a;
  }
  return 1.0 - std::exp(log_front) * incomplete_beta_fraction(b, a, 1.0 - x) / b;
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

double cauchy_cdf(double x, double scale) { return 0.5 + std::atan(x / scale) / std::numbers::pi; }

double student_t_cdf(double t, double nu) {
  require(nu > 0.0, "Student-t needs nu > 0, got {}", nu);
  if (std::isnan(t)) return std::numeric_limits<double>::quiet_NaN();
  if (std::isinf(t)) return t > 0 ? 1.0 : 0.0;
  // ν/(ν+t²) loses precision for |t| ≪ √ν; then use I_x(a,b) = 1 − I_{1−x}(b,a) with
  // 1 − x = t²/(ν+t²) computed directly.
  const double t2 = t * t;
  const double x = nu / (nu + t2);
  double lower_tail;  // P(T < −|t|)
  if (x < 0.5) {
    lower_tail = 0.5 * regularized_incomplete_beta(0.5 * nu, 0.5, x);
  } else {
    lower_tail = 0.5 * (1.0 - regularized_incomplete_beta(0.5, 0.5 * nu, t2 / (nu + t2)));
  }
  return t < 0 ? lower_tail : 1.0 - lower_tail;
}

double levy_cdf(double x, double scale) {
  if (x <= 0.0) return 0.0;
  return std::erfc(std::sqrt(scale / (2.0 * x)));
}

}  // namespace signopt
