#include "signopt/distributed/identity_compressor.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace signopt {
namespace {

TEST(IdentityCompressor, Fp64IsLosslessAndCosts64BitsPerCoordinate) {
  const Index d = 37;
  IdentityCompressor c(d, FloatFormat::Float64);
  Rng rng(2);
  Vector v(d);
  for (Index i = 0; i < d; ++i) v[i] = rng.normal() * 1e-7 + 1.0 / 3.0;
  std::vector<std::uint64_t> message(static_cast<std::size_t>(c.message_words()));
  c.encode(v, rng, message);
  Vector back;
  c.decode(message, back);
  EXPECT_TRUE(back == v);
  EXPECT_EQ(c.message_bits(), 64u * 37u);
  EXPECT_EQ(c.message_words(), 37);
  EXPECT_TRUE(c.unbiased());
}

TEST(IdentityCompressor, Fp32RoundsToFloatAndPacksTwoPerWord) {
  const Index d = 5;
  IdentityCompressor c(d, FloatFormat::Float32);
  Vector v(d);
  v << 1.0 / 3.0, -2.5, 0.0, 1e30, -1e-3;
  Rng rng(0);
  std::vector<std::uint64_t> message(static_cast<std::size_t>(c.message_words()));
  ASSERT_EQ(message.size(), 3u);
  c.encode(v, rng, message);
  Vector back;
  c.decode(message, back);
  for (Index i = 0; i < d; ++i) EXPECT_EQ(back[i], static_cast<double>(static_cast<float>(v[i])));
  EXPECT_EQ(c.message_bits(), 32u * 5u);
  EXPECT_EQ(message[2] >> 32, 0u);  // the unused half of the last word is zero padding
}

}  // namespace
}  // namespace signopt
