#include "signopt/core/trig.hpp"

#include <algorithm>
#include <cstring>

#include "signopt/core/error.hpp"

// Vector-extension values are internal to this file (see logistic_kernel.cpp).
#pragma GCC diagnostic ignored "-Wpsabi"

namespace signopt {
namespace {

typedef double Vec8 __attribute__((vector_size(64)));
typedef long long Int8 __attribute__((vector_size(64)));

// π/2 = kPio2a + kPio2b + kPio2c (33 + 33 significant bits, then the rest rounded).
constexpr double kPio2a = 0x1.921fb544p+0;
constexpr double kPio2b = 0x1.0b4611a6p-34;
constexpr double kPio2c = 0x1.3198a2e037073p-69;
constexpr double kTwoOverPi = 0x1.45f306dc9c883p-1;
constexpr double kRound = 0x1.8p52;  // (v + kRound) − kRound rounds v to an integer

// 1/n! for the Taylor coefficients.
constexpr double inverse_factorial(int n) {
  double f = 1.0;
  for (int i = 2; i <= n; ++i) f *= i;
  return 1.0 / f;
}

inline void sin_cos8(Vec8 x, Vec8& s, Vec8& c) {
  const Vec8 k = (x * kTwoOverPi + kRound) - kRound;
  const Vec8 r = ((x - k * kPio2a) - k * kPio2b) - k * kPio2c;
  const Vec8 r2 = r * r;
  // sin r = r − r³/3! + … + r^17/17!,  cos r = 1 − r²/2! + … + r^18/18!  (Horner in r²).
  Vec8 ps = Vec8{} + inverse_factorial(17);
  for (int n = 15; n >= 3; n -= 2) ps = ps * -r2 + inverse_factorial(n);
  ps = r + (r * -r2) * ps;
  Vec8 pc = Vec8{} + inverse_factorial(18);
  for (int n = 16; n >= 2; n -= 2) pc = pc * -r2 + inverse_factorial(n);
  pc = 1.0 + -r2 * pc;
  const Int8 q = __builtin_convertvector(k, Int8) & 3;
  const Int8 odd = (q & 1) != 0;                  // quadrants 1, 3: sin x = ±cos r
  const Vec8 sin_base = odd ? pc : ps;
  const Vec8 cos_base = odd ? ps : pc;
  s = (q & 2) != 0 ? -sin_base : sin_base;          // quadrants 2, 3: sin negated
  c = ((q + 1) & 2) != 0 ? -cos_base : cos_base;    // quadrants 1, 2: cos negated
}

}  // namespace

void sin_cos(std::span<const double> x, std::span<double> s, std::span<double> c) {
  require(s.empty() || s.size() == x.size(), "sin_cos: {} arguments but {} sines", x.size(), s.size());
  require(c.empty() || c.size() == x.size(), "sin_cos: {} arguments but {} cosines", x.size(), c.size());
  for (std::size_t i = 0; i < x.size(); i += 8) {
    const std::size_t n = std::min<std::size_t>(8, x.size() - i);
    Vec8 v{}, sv, cv;
    std::memcpy(&v, x.data() + i, n * sizeof(double));
    sin_cos8(v, sv, cv);
    if (!s.empty()) std::memcpy(s.data() + i, &sv, n * sizeof(double));
    if (!c.empty()) std::memcpy(c.data() + i, &cv, n * sizeof(double));
  }
}

}  // namespace signopt
