#include "signopt/distributed/scaled_sign_compressor.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace signopt {
namespace {

TEST(ScaledSignCompressor, ScaleIsMeanAbsoluteValueAndL1NormIsKept) {
  const Index d = 130;
  Rng rng(4);
  Vector v(d);
  for (Index i = 0; i < d; ++i) v[i] = rng.normal() * 3.0;
  for (FloatFormat f : {FloatFormat::Float32, FloatFormat::Float64}) {
    ScaledSignCompressor c(d, f);
    std::vector<std::uint64_t> message(static_cast<std::size_t>(c.message_words()));
    c.encode(v, rng, message);
    const double scale = v.lpNorm<1>() / static_cast<double>(d);
    const double sent = c.scale_of(message);
    if (f == FloatFormat::Float64)
      EXPECT_EQ(sent, scale);
    else
      EXPECT_EQ(sent, static_cast<double>(static_cast<float>(scale)));
    Vector back;
    c.decode(message, back);
    for (Index i = 0; i < d; ++i) EXPECT_EQ(back[i], v[i] < 0 ? -sent : sent);
    // ‖C(v)‖₁ = d · scale = ‖v‖₁ (exactly up to the scale's rounding).
    EXPECT_NEAR(back.lpNorm<1>(), v.lpNorm<1>(),
                f == FloatFormat::Float64 ? 1e-12 : 1e-5 * v.lpNorm<1>());
    EXPECT_EQ(c.message_bits(), static_cast<std::uint64_t>(d + float_bits(f)));
    EXPECT_EQ(c.message_words(), 1 + 3);
  }
}

}  // namespace
}  // namespace signopt
