#include "signopt/distributed/sign_compressor.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace signopt {
namespace {

TEST(SignCompressor, DecodesToSignsWithZeroAsPlusAndCostsOneBitPerCoordinate) {
  const Index d = 70;
  SignCompressor c(d);
  Vector v(d);
  for (Index i = 0; i < d; ++i) v[i] = static_cast<double>((i % 5) - 2);  // −2..2, includes 0
  Rng rng(0);
  std::vector<std::uint64_t> message(static_cast<std::size_t>(c.message_words()));
  ASSERT_EQ(message.size(), 2u);
  c.encode(v, rng, message);
  Vector back;
  c.decode(message, back);
  for (Index i = 0; i < d; ++i) EXPECT_EQ(back[i], v[i] < 0 ? -1.0 : 1.0);
  EXPECT_EQ(c.message_bits(), 70u);
  EXPECT_TRUE(c.packed_sign_message());
  EXPECT_FALSE(c.unbiased());
}

}  // namespace
}  // namespace signopt
