#pragma once
// A fast standard-normal sampler: the ziggurat method of Marsaglia & Tsang (2000), "The Ziggurat
// Method for Generating Random Variables", J. Statistical Software 5(8), with 256 layers.
//
// The density f(x) = exp(−x²/2) on x ≥ 0 is covered by 256 slices of equal area V: a base slice
// (the rectangle [0, r] × [0, f(r)] plus the tail beyond r) and 255 stacked rectangles. A sample
// picks a slice uniformly and a point uniformly in it; ~98.8% of the time that point lies under
// the curve by construction and no exp() is needed. Unlike the original paper, the slice index,
// the sign and the abscissa come from disjoint bits of one 64-bit draw, which removes the
// correlation between them that Doornik (2005, "An Improved Ziggurat Method to Generate Normal
// Random Samples") pointed out. The tail beyond r uses Marsaglia's (1964) exact exponential
// rejection. The method is exact up to the double-precision rounding of the tables.
//
// Rng::normal (the polar method) is kept for code that wants it; this one is about 5× faster
// (bench/README.md).
#include <array>
#include <bit>
#include <cstdint>
#include <span>

#include "signopt/core/rng.hpp"

namespace signopt {

namespace detail {

struct ZigguratTables {
  static constexpr int kLayers = 256;
  // The right edge of the base slice where the tail starts (Marsaglia & Tsang, N = 256).
  static constexpr double kTailStart = 3.6541528853610088;
  // x[0] = V / f(r) (virtual width of the base slice), x[1] = r, x[i] decreasing, x[256] = 0.
  std::array<double, kLayers + 1> x{};
  // f[i] = exp(−x[i]² / 2).
  std::array<double, kLayers + 1> f{};
  double layer_area = 0.0;  // V
};

ZigguratTables build_ziggurat_tables() noexcept;

// Inline so that the hot path costs one guard check, not a function call.
inline const ZigguratTables& ziggurat_tables() noexcept {
  static const ZigguratTables tables = build_ziggurat_tables();
  return tables;
}

// The rare path: slice `layer` was drawn and |x| ≥ x[layer + 1]. Returns true and sets `value`
// (≥ 0) when the draw is accepted.
bool ziggurat_edge(Rng& rng, const ZigguratTables& t, unsigned layer, double x,
                   double& value) noexcept;

}  // namespace detail

// One standard-normal draw using already fetched tables (for loops).
inline double standard_normal(Rng& rng, const detail::ZigguratTables& t) noexcept {
  for (;;) {
    const std::uint64_t bits = rng.next();
    const auto layer = static_cast<unsigned>(bits & 0xFF);         // bits 0..7
    const std::uint64_t sign_bit = (bits & 0x100) << 55;           // bit 8 → the sign bit
    const double u = static_cast<double>(bits >> 11) * 0x1.0p-53;  // bits 11..63, in [0, 1)
    double x = u * t.x[layer];
    // The sign is applied by flipping the sign bit: a branch on a random bit would be
    // mispredicted half the time.
    if (x < t.x[layer + 1])
      return std::bit_cast<double>(std::bit_cast<std::uint64_t>(x) ^ sign_bit);
    // The rare path works on a copy so that the caller's generator never has its address taken
    // (which would keep its state out of registers in the hot loop).
    Rng spill = rng;
    const bool accepted = detail::ziggurat_edge(spill, t, layer, x, x);
    rng = spill;
    if (accepted) return std::bit_cast<double>(std::bit_cast<std::uint64_t>(x) ^ sign_bit);
  }
}

// One standard-normal draw.
inline double standard_normal(Rng& rng) noexcept {
  return standard_normal(rng, detail::ziggurat_tables());
}

// Fills `out` with independent standard-normal draws.
void fill_standard_normal(Rng& rng, std::span<double> out) noexcept;

}  // namespace signopt
