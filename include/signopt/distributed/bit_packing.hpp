#pragma once
// Signs packed 64 per word: the 1-bit wire format of the sign methods (docs/theory.md §4).
//
// Wire convention (fixed, every sender and receiver uses it):
//   coordinate i lives in word i / 64, bit i % 64 (bit 0 = least significant);
//   bit = 1  means the value is negative (v_i < 0), like the IEEE-754 sign bit;
//   bit = 0  means non-negative. A 1-bit code cannot carry 0, so sign(0) travels as +1
//   (and so do −0.0 and NaN, because the test is the comparison v_i < 0);
//   padding bits after coordinate d − 1 in the last word are 0.
// Decoding turns bit b into +1 − 2b, i.e. ±1, never 0.
#include <cstdint>
#include <span>

#include "signopt/core/types.hpp"

namespace signopt {

// Number of 64-bit words that hold d packed signs: ⌈d / 64⌉.
constexpr Index packed_word_count(Index d) noexcept { return (d + 63) / 64; }

// words[i/64] bit i%64 = (v_i < 0). `words` must hold packed_word_count(v.size()) words.
void pack_signs(std::span<const double> v, std::span<std::uint64_t> words);

// out_i = +1 or −1 from the packed bits; out.size() = d coordinates are written.
void unpack_signs(std::span<const std::uint64_t> words, std::span<double> out);

// out_i += scale · (±1) from the packed bits (used to accumulate decoded signs).
void add_scaled_signs(std::span<const std::uint64_t> words, double scale, std::span<double> out);

// Convenience overloads on signopt::Vector.
inline void pack_signs(const Vector& v, std::span<std::uint64_t> words) {
  pack_signs(std::span<const double>(v.data(), static_cast<std::size_t>(v.size())), words);
}
inline void unpack_signs(std::span<const std::uint64_t> words, Vector& out) {
  unpack_signs(words, std::span<double>(out.data(), static_cast<std::size_t>(out.size())));
}

}  // namespace signopt
