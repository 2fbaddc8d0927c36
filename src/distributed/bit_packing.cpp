#include "signopt/distributed/bit_packing.hpp"

#include "signopt/core/error.hpp"

#if defined(__AVX512F__) || defined(__AVX__)
#include <immintrin.h>
#endif

namespace signopt {

namespace {

// One full word from 64 values: bit b = (v[b] < 0). GCC does not vectorise the 64-lane
// compare-and-or reduction on its own (it emits one scalar compare per value), so the
// vector-ISA paths build the word from compare masks: AVX-512 gives 8 bits per compare,
// AVX 4 bits (movemask). The ordered "less than" compare is false for NaN, matching the
// scalar path. Each path is exercised by the test suite of a build for that ISA (the
// sanitizer build uses no -march=native and runs the scalar path).
inline std::uint64_t pack_word(const double* v) noexcept {
#if defined(__AVX512F__)
  const __m512d zero = _mm512_setzero_pd();
  std::uint64_t w = 0;
  for (int c = 0; c < 8; ++c) {
    const __mmask8 m = _mm512_cmp_pd_mask(_mm512_loadu_pd(v + 8 * c), zero, _CMP_LT_OQ);
    w |= static_cast<std::uint64_t>(m) << (8 * c);
  }
  return w;
#elif defined(__AVX__)
  const __m256d zero = _mm256_setzero_pd();
  std::uint64_t w = 0;
  for (int c = 0; c < 16; ++c) {
    const int m = _mm256_movemask_pd(_mm256_cmp_pd(_mm256_loadu_pd(v + 4 * c), zero, _CMP_LT_OQ));
    w |= static_cast<std::uint64_t>(m) << (4 * c);
  }
  return w;
#else
  std::uint64_t w = 0;
  for (int b = 0; b < 64; ++b) w |= static_cast<std::uint64_t>(v[b] < 0.0) << b;
  return w;
#endif
}

// out[b] = base[b] + scale · (1 − 2 bit_b) for the 64 coordinates of one word; with base = 0
// (accumulate = false) this is the plain ±scale decoding.
template <bool accumulate>
inline void signs_of_word(std::uint64_t word, double scale, double* out) noexcept {
#if defined(__AVX512F__)
  const __m512d plus = _mm512_set1_pd(scale), minus = _mm512_set1_pd(-scale);
  for (int c = 0; c < 8; ++c) {
    const auto m = static_cast<__mmask8>(word >> (8 * c));
    __m512d value = _mm512_mask_blend_pd(m, plus, minus);
    if constexpr (accumulate) value = _mm512_add_pd(_mm512_loadu_pd(out + 8 * c), value);
    _mm512_storeu_pd(out + 8 * c, value);
  }
#else
  for (int b = 0; b < 64; ++b) {
    const double value = ((word >> b) & 1u) ? -scale : scale;
    if constexpr (accumulate)
      out[b] += value;
    else
      out[b] = value;
  }
#endif
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
    for (Index i = full * 64; i < d; ++i)
      w |= static_cast<std::uint64_t>(p[i] < 0.0) << (i - full * 64);
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
  for (Index w = 0; w < full; ++w)
    signs_of_word<false>(words[static_cast<std::size_t>(w)], 1.0, o + 64 * w);
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
  for (Index w = 0; w < full; ++w)
    signs_of_word<true>(words[static_cast<std::size_t>(w)], scale, o + 64 * w);
  for (Index i = full * 64; i < d; ++i) {
    const std::uint64_t word = words[static_cast<std::size_t>(full)];
    o[i] += ((word >> (i - full * 64)) & 1u) ? -scale : scale;
  }
}

}  // namespace signopt
