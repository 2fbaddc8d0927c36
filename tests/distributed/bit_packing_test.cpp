#include "signopt/distributed/bit_packing.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "signopt/core/error.hpp"
#include "signopt/core/rng.hpp"

namespace signopt {
namespace {

Vector random_vector(Index d, std::uint64_t seed) {
  Rng rng(seed);
  Vector v(d);
  for (Index i = 0; i < d; ++i) v[i] = rng.normal();
  return v;
}

TEST(BitPacking, WordCount) {
  EXPECT_EQ(packed_word_count(0), 0);
  EXPECT_EQ(packed_word_count(1), 1);
  EXPECT_EQ(packed_word_count(64), 1);
  EXPECT_EQ(packed_word_count(65), 2);
  EXPECT_EQ(packed_word_count(10'000'000), 156'250);
}

TEST(BitPacking, RoundTripGivesSignsForManyDimensions) {
  for (Index d : {1, 5, 63, 64, 65, 100, 127, 128, 129, 1000}) {
    const Vector v = random_vector(d, static_cast<std::uint64_t>(d));
    std::vector<std::uint64_t> words(static_cast<std::size_t>(packed_word_count(d)), ~0ULL);
    pack_signs(v, words);
    Vector back(d);
    unpack_signs(words, back);
    for (Index i = 0; i < d; ++i)
      ASSERT_EQ(back[i], v[i] < 0 ? -1.0 : 1.0) << "d=" << d << " i=" << i;
    // Padding after coordinate d − 1 is zero, whatever the buffer held before.
    if (d % 64 != 0) {
      EXPECT_EQ(words.back() >> (d % 64), 0u) << "d=" << d;
    }
  }
}

TEST(BitPacking, WireConventionBitOneIsNegativeAndZeroTravelsAsPlus) {
  Vector v(6);
  v << -2.0, 3.0, 0.0, -0.0, std::numeric_limits<double>::quiet_NaN(), -1e-300;
  std::vector<std::uint64_t> words(1);
  pack_signs(v, words);
  // bit i = (v_i < 0): only coordinates 0 and 5 are negative; 0, −0 and NaN travel as +1.
  EXPECT_EQ(words[0], (1ULL << 0) | (1ULL << 5));
  Vector back(6);
  unpack_signs(words, back);
  EXPECT_EQ(back[2], 1.0);
  EXPECT_EQ(back[3], 1.0);
  EXPECT_EQ(back[4], 1.0);
}

TEST(BitPacking, AddScaledSignsAccumulates) {
  const Index d = 70;
  const Vector v = random_vector(d, 3);
  std::vector<std::uint64_t> words(2);
  pack_signs(v, words);
  Vector acc = Vector::Constant(d, 0.5);
  add_scaled_signs(words, 2.0, std::span<double>(acc.data(), static_cast<std::size_t>(d)));
  for (Index i = 0; i < d; ++i) EXPECT_EQ(acc[i], 0.5 + (v[i] < 0 ? -2.0 : 2.0));
}

TEST(BitPacking, TooSmallBufferIsAnError) {
  const Vector v = random_vector(65, 1);
  std::vector<std::uint64_t> words(1);
  EXPECT_THROW(pack_signs(v, words), Error);
  Vector out(65);
  EXPECT_THROW(unpack_signs(words, out), Error);
}

}  // namespace
}  // namespace signopt
