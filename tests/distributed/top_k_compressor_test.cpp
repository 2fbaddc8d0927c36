#include "signopt/distributed/top_k_compressor.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace signopt {
namespace {

TEST(TopKCompressor, KeepsTheKLargestMagnitudesExactly) {
  const Index d = 200, k = 13;
  Rng rng(8);
  Vector v(d);
  for (Index i = 0; i < d; ++i) v[i] = rng.normal();
  TopKCompressor c(d, k, FloatFormat::Float64);
  std::vector<std::uint64_t> message(static_cast<std::size_t>(c.message_words()));
  c.encode(v, rng, message);
  Vector back;
  c.decode(message, back);

  std::vector<double> magnitudes(static_cast<std::size_t>(d));
  for (Index i = 0; i < d; ++i) magnitudes[static_cast<std::size_t>(i)] = std::abs(v[i]);
  std::sort(magnitudes.begin(), magnitudes.end(), std::greater<>());
  const double kth = magnitudes[static_cast<std::size_t>(k - 1)];
  Index kept = 0;
  for (Index i = 0; i < d; ++i) {
    if (std::abs(v[i]) >= kth) {
      EXPECT_EQ(back[i], v[i]) << i;
      ++kept;
    } else {
      EXPECT_EQ(back[i], 0.0) << i;
    }
  }
  EXPECT_EQ(kept, k);
}

TEST(TopKCompressor, TiesGoToTheSmallerIndex) {
  Vector v(6);
  v << 1.0, -3.0, 2.0, 3.0, -2.0, 2.0;
  TopKCompressor c(6, 3, FloatFormat::Float32);
  Rng rng(0);
  std::vector<std::uint64_t> message(static_cast<std::size_t>(c.message_words()));
  c.encode(v, rng, message);
  Vector back;
  c.decode(message, back);
  Vector want(6);
  want << 0.0, -3.0, 2.0, 3.0, 0.0, 0.0;  // |−2| at 4 and |2| at 5 lose to |2| at index 2
  EXPECT_TRUE(back == want);
}

TEST(TopKCompressor, BitsAreKTimesIndexBitsPlusValueBits) {
  EXPECT_EQ(TopKCompressor(200, 13, FloatFormat::Float32).message_bits(), 13u * (8 + 32));
  EXPECT_EQ(TopKCompressor(256, 13, FloatFormat::Float64).message_bits(), 13u * (8 + 64));
  EXPECT_EQ(TopKCompressor(257, 1, FloatFormat::Float32).message_bits(), 9u + 32u);
  EXPECT_EQ(TopKCompressor(1, 1, FloatFormat::Float32).message_bits(), 32u);  // no index needed
  const TopKCompressor big(10'000'000, 100'000, FloatFormat::Float32);
  EXPECT_EQ(big.message_bits(), 100'000u * (24 + 32));
  EXPECT_EQ(big.message_words(), (100'000 * 56 + 63) / 64);
}

}  // namespace
}  // namespace signopt
