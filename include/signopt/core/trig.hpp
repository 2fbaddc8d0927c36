#pragma once
// Sine and cosine of moderate arguments (|x| ≤ 1e6), vectorised: the α-stable sampler takes
// three per sample, and one libm call each dominated its cost.
//
// Method: x = k·π/2 + r with k = round(2x/π) and r ∈ [−π/4, π/4] computed with π/2 split in
// three parts (the first two with 33 significant bits, so k·part is exact for |k| < 2^20 and
// r is accurate to about 1e-16 absolutely, and relatively when x is near a multiple of π/2);
// then Taylor polynomials of degree 17 (sine) and 18 (cosine) in r, whose truncation error is
// below 1e-19 on that interval, and the quadrant k mod 4 picks ±sin r or ±cos r. Accurate to
// a few units in the last place; every entry takes the same vector code path, so an entry's
// result does not depend on its position or on how many are evaluated together.
#include <span>

namespace signopt {

// s[i] = sin(x[i]) and c[i] = cos(x[i]). The spans must have equal sizes (s or c may be
// empty to skip it). Arguments beyond the documented range are not reduced accurately.
void sin_cos(std::span<const double> x, std::span<double> s, std::span<double> c);

}  // namespace signopt
