#include "signopt/core/exponential.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#ifdef __AVX512F__
#include <immintrin.h>
#endif

#include "signopt/core/error.hpp"

// Vector-extension values are internal to this file (see logistic_kernel.cpp).
#pragma GCC diagnostic ignored "-Wpsabi"
// Fused multiply-adds here (the build turns contraction off elsewhere): every entry goes
// through the one vector code path below, so contraction cannot make an entry's result depend
// on where it sits — the reason for turning it off. (GCC builds signopt; the clang build of the
// fuzz harnesses does not contract here, which only changes last bits it never checks.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=fast")
#endif

namespace signopt {
namespace {

typedef double Vec8 __attribute__((vector_size(64)));
typedef long long Int8 __attribute__((vector_size(64)));

constexpr double kLog2e = 0x1.71547652b82fep0;
// ln 2 = kLn2Hi + kLn2Lo, kLn2Hi with 32 significant bits (k·kLn2Hi is exact for |k| < 2^21).
constexpr double kLn2Hi = 0x1.62e42feep-1;
constexpr double kLn2Lo = 0x1.a39ef35793c76p-33;
constexpr double kRound = 0x1.8p52;  // v + kRound holds round(v) in its low mantissa bits
// Beyond these the result is ∞ or rounds to 0 (also after the split scaling below).
constexpr double kMax = 709.8;
constexpr double kMin = -746.0;

constexpr double inverse_factorial(int n) {
  double f = 1.0;
  for (int i = 2; i <= n; ++i) f *= i;
  return 1.0 / f;
}

// x = k·ln 2 + r and e^r for arguments already in range: k (as an integer) and e^r.
inline Vec8 reduce(Vec8 x, Int8& ki) {
  const Vec8 shifted = x * kLog2e + kRound;
  const Vec8 k = shifted - kRound;
  const Vec8 r = (x - k * kLn2Hi) - k * kLn2Lo;
  // e^r = 1 + (r + r²·q(r)), q(r) = Σ_{n=2..13} r^{n−2}/n! by Estrin's scheme (pairs
  // c_n + c_{n+1}·r, then pairs of those with r², r⁴, r⁸: a short dependency chain instead of
  // Horner's twelve steps). Adding the leading 1 last keeps the rounding of the rest small
  // against it.
  auto c = [](int n) { return inverse_factorial(n); };
  const Vec8 r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
  const Vec8 q23 = c(2) + c(3) * r, q45 = c(4) + c(5) * r, q67 = c(6) + c(7) * r,
             q89 = c(8) + c(9) * r, q1011 = c(10) + c(11) * r, q1213 = c(12) + c(13) * r;
  const Vec8 q25 = q23 + q45 * r2, q69 = q67 + q89 * r2, q1013 = q1011 + q1213 * r2;
  const Vec8 q = (q25 + q69 * r4) + q1013 * r8;
  // k as an integer, read from the bits of `shifted` (|k| ≤ 1077: the low bits, sign-extended
  // by subtracting the bits of kRound).
  std::memcpy(&ki, &shifted, sizeof ki);
  ki -= std::bit_cast<long long>(kRound);
  return 1.0 + (r + r2 * q);
}

inline Vec8 power_of_two(Int8 k) {  // 2^k for k in the normal range [−1022, 1023]
  const Int8 bits = (k + 1023) << 52;
  Vec8 v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

inline Vec8 exp8(Vec8 x) {
  x = x > kMax ? Vec8{} + kMax : x;  // NaN fails both comparisons and stays NaN
  x = x < kMin ? Vec8{} + kMin : x;
  Int8 k;
  const Vec8 p = reduce(x, k);
#ifdef __AVX512F__
  // p·2^k rounded once, subnormal and overflowing results included (vscalefpd).
  return reinterpret_cast<Vec8>(_mm512_scalef_pd(reinterpret_cast<__m512d>(p),
                                                 reinterpret_cast<__m512d>(__builtin_convertvector(k, Vec8))));
#else
  // 2^k as two normal factors: p·2^k1 is exact, the second product rounds once — the same
  // result as above.
  const Int8 k1 = k >> 1;
  return p * power_of_two(k1) * power_of_two(k - k1);
#endif
}

}  // namespace

void exponentials(std::span<const double> x, std::span<double> out) {
  require(out.size() == x.size(), "exponentials: {} arguments but {} results", x.size(), out.size());
  std::size_t i = 0;
  for (; i + 8 <= x.size(); i += 8) {
    Vec8 v;
    std::memcpy(&v, x.data() + i, sizeof v);
    v = exp8(v);
    std::memcpy(out.data() + i, &v, sizeof v);
  }
  if (i < x.size()) {
    const std::size_t n = x.size() - i;
    Vec8 v{};
    std::memcpy(&v, x.data() + i, n * sizeof(double));
    v = exp8(v);
    std::memcpy(out.data() + i, &v, n * sizeof(double));
  }
}

}  // namespace signopt
