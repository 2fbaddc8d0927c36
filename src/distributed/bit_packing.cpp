#include "signopt/distributed/bit_packing.hpp"

#include "signopt/core/error.hpp"

namespace signopt {

namespace {

// One full word from 64 values. Written as a fixed-trip-count loop of shifts and ors so the
// compiler vectorises it (a compare, a mask and an or-reduction per lane).
inline std::uint64_t pack_word(const double* v) noexcept {
  std::uint64_t w = 0;
  for (int b = 0; b < 64; ++b) w |= static_cast<std::uint64_t>(v[b] < 0.0) << b;
  return w;
}

}  // namespace

void pack_signs(std::span<const double> v, std::span<std::uint64_t> words) {
  const auto d = static_cast<Index>(v.size());
  require(static_cast<Index>(words.size()) >= packed_word_count(d),
          "pack_signs: {} words cannot hold {} signs (need {})", words.size(), d,
          packed_word_count(d));
  const Index full = d / 64;
  const double* p = v.data();
  for (Index w = 0; w < full; ++w) words[static_cast<std::size_t>(w)] = pack_word(p + 64 * w);
  if (full * 64 < d) {
    std::uint64_t w = 0;
    for (Index i = full * 64; i < d; ++i) w |= static_cast<std::uint64_t>(p[i] < 0.0) << (i - full * 64);
    words[static_cast<std::size_t>(full)] = w;
  }
}

void unpack_signs(std::span<const std::uint64_t> words, std::span<double> out) {
  const auto d = static_cast<Index>(out.size());
  require(static_cast<Index>(words.size()) >= packed_word_count(d),
          "unpack_signs: {} words cannot hold {} signs (need {})", words.size(), d,
          packed_word_count(d));
  double* o = out.data();
  const Index full = d / 64;
  for (Index w = 0; w < full; ++w) {
    const std::uint64_t word = words[static_cast<std::size_t>(w)];
    for (int b = 0; b < 64; ++b) o[64 * w + b] = 1.0 - 2.0 * static_cast<double>((word >> b) & 1u);
  }
  for (Index i = full * 64; i < d; ++i) {
    const std::uint64_t word = words[static_cast<std::size_t>(full)];
    o[i] = 1.0 - 2.0 * static_cast<double>((word >> (i - full * 64)) & 1u);
  }
}

void add_scaled_signs(std::span<const std::uint64_t> words, double scale, std::span<double> out) {
  const auto d = static_cast<Index>(out.size());
  require(static_cast<Index>(words.size()) >= packed_word_count(d),
          "add_scaled_signs: {} words cannot hold {} signs (need {})", words.size(), d,
          packed_word_count(d));
  double* o = out.data();
  const Index full = d / 64;
  for (Index w = 0; w < full; ++w) {
    const std::uint64_t word = words[static_cast<std::size_t>(w)];
    for (int b = 0; b < 64; ++b)
      o[64 * w + b] += scale * (1.0 - 2.0 * static_cast<double>((word >> b) & 1u));
  }
  for (Index i = full * 64; i < d; ++i) {
    const std::uint64_t word = words[static_cast<std::size_t>(full)];
    o[i] += scale * (1.0 - 2.0 * static_cast<double>((word >> (i - full * 64)) & 1u));
  }
}

}  // namespace signopt
