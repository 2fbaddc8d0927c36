#include "signopt/distributed/rand_k_compressor.hpp"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace signopt {
namespace {

TEST(RandKCompressor, KeepsKDistinctCoordinatesScaledByDOverK) {
  const Index d = 50, k = 10;
  RandKCompressor c(d, k, FloatFormat::Float64);
  Vector v = Vector::LinSpaced(d, 1.0, 50.0);
  Rng rng(3);
  std::vector<std::uint64_t> message(static_cast<std::size_t>(c.message_words()));
  c.encode(v, rng, message);
  const auto indices = c.indices_for_seed(message[0]);
  EXPECT_EQ(std::set<Index>(indices.begin(), indices.end()).size(), static_cast<std::size_t>(k));
  Vector back;
  c.decode(message, back);
  Index nonzero = 0;
  for (Index i = 0; i < d; ++i) {
    if (back[i] != 0.0) {
      EXPECT_DOUBLE_EQ(back[i], v[i] * 5.0);
      ++nonzero;
    }
  }
  EXPECT_EQ(nonzero, k);
}

TEST(RandKCompressor, UnbiasedOnAverage) {
  // E[C(v)] = v. Over n = 20000 draws each coordinate's mean has standard deviation
  // |v_i| sqrt((d/k − 1) / n) ≈ 0.012 |v_i|; 5 standard deviations is the tolerance.
  const Index d = 12, k = 3;
  const int n = 20000;
  RandKCompressor c(d, k, FloatFormat::Float64);
  Vector v(d);
  for (Index i = 0; i < d; ++i) v[i] = static_cast<double>(i) - 5.5;
  Rng rng(17);
  std::vector<std::uint64_t> message(static_cast<std::size_t>(c.message_words()));
  Vector sum = Vector::Zero(d);
  for (int t = 0; t < n; ++t) {
    c.encode(v, rng, message);
    c.decode_add(message, 1.0, sum);
  }
  const Vector mean = sum / n;
  for (Index i = 0; i < d; ++i)
    EXPECT_NEAR(mean[i], v[i], 5.0 * std::abs(v[i]) * std::sqrt(3.0 / n)) << i;
}

TEST(RandKCompressor, UnscaledFormIsContractive) {
  const Index d = 40, k = 8;
  RandKCompressor c(d, k, FloatFormat::Float64, /*rescale=*/false);
  EXPECT_FALSE(c.unbiased());
  Vector v = Vector::LinSpaced(d, -3.0, 4.0);
  Rng rng(5);
  std::vector<std::uint64_t> message(static_cast<std::size_t>(c.message_words()));
  c.encode(v, rng, message);
  Vector back;
  c.decode(message, back);
  for (Index i = 0; i < d; ++i) EXPECT_TRUE(back[i] == 0.0 || back[i] == v[i]);
  EXPECT_LE((back - v).squaredNorm(), v.squaredNorm());
}

TEST(RandKCompressor, BitsAreSeedPlusKValues) {
  EXPECT_EQ(RandKCompressor(1000, 10, FloatFormat::Float32).message_bits(), 64u + 320u);
  EXPECT_EQ(RandKCompressor(1000, 10, FloatFormat::Float64).message_bits(), 64u + 640u);
  EXPECT_EQ(RandKCompressor(1000, 10, FloatFormat::Float32).message_words(), 6);
}

TEST(RandKCompressor, TheCompressorStreamDrivesTheChoice) {
  const Index d = 1000;
  RandKCompressor c(d, 5, FloatFormat::Float32);
  const Vector v = Vector::Ones(d);
  std::vector<std::uint64_t> a(static_cast<std::size_t>(c.message_words())), b = a, e = a;
  Rng r1(1), r2(1), r3(2);
  c.encode(v, r1, a);
  c.encode(v, r2, b);
  c.encode(v, r3, e);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, e);
}

}  // namespace
}  // namespace signopt
