#pragma once
// The exponential function over whole arrays, vectorised: the logistic kernel takes one per
// data row and point in every pass, and Eigen's generic version spent most of its time
// assembling the power of two.
//
// Method: x = k·ln 2 + r with k = round(x/ln 2) and |r| ≤ ln 2 / 2, r computed with ln 2 split
// in two parts (the first with trailing zero bits, so k·part is exact); e^r by its Taylor
// polynomial of degree 13 (truncation error below 5e-18 on that interval); then the power 2^k
// as two factors 2^⌊k/2⌋·2^(k−⌊k/2⌋), each a normal number, so results that underflow into
// the subnormal range come out right as well. Accurate to about 1 unit in the last place;
// e^x = +∞ above 709.78, 0 below −745.2, NaN for NaN; exactly 1 at 0. Every entry takes the
// same vector code path, so its result depends neither on its position nor on how many are
// evaluated together.
#include <span>

namespace signopt {

// out[i] = e^{x[i]}. The spans must have equal sizes; they may be the same array.
void exponentials(std::span<const double> x, std::span<double> out);

}  // namespace signopt
