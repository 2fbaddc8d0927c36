#include "signopt/distributed/qsgd_compressor.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace signopt {
namespace {

TEST(QsgdCompressor, ValuesAreOnTheLevelGrid) {
  const Index d = 33;
  const int s = 4;
  QsgdCompressor c(d, s, FloatFormat::Float64);
  Rng rng(6);
  Vector v(d);
  for (Index i = 0; i < d; ++i) v[i] = rng.normal();
  std::vector<std::uint64_t> message(static_cast<std::size_t>(c.message_words()));
  c.encode(v, rng, message);
  Vector back;
  c.decode(message, back);
  const double norm = v.norm();
  for (Index i = 0; i < d; ++i) {
    const double level = std::abs(back[i]) / norm * s;
    EXPECT_NEAR(level, std::round(level), 1e-12);
    // ξ_i is ⌊r_i⌋ or ⌊r_i⌋ + 1 with r_i = s|v_i|/‖v‖.
    const double r = s * std::abs(v[i]) / norm;
    EXPECT_TRUE(std::round(level) == std::floor(r) || std::round(level) == std::floor(r) + 1) << i;
    if (back[i] != 0.0) {
      EXPECT_EQ(back[i] < 0, v[i] < 0);
    }
  }
}

TEST(QsgdCompressor, UnbiasedOnAverage) {
  // Var of one coordinate ≤ ‖v‖² / (4 s²) per draw; over n draws sd ≤ ‖v‖/(2 s √n).
  const Index d = 8;
  const int s = 2, n = 20000;
  for (FloatFormat f : {FloatFormat::Float64, FloatFormat::Float32}) {
    QsgdCompressor c(d, s, f);
    Vector v(d);
    v << 0.3, -1.7, 0.01, 2.2, -0.5, 0.0, 1.1, -0.9;
    Rng rng(21);
    std::vector<std::uint64_t> message(static_cast<std::size_t>(c.message_words()));
    Vector sum = Vector::Zero(d);
    for (int t = 0; t < n; ++t) {
      c.encode(v, rng, message);
      c.decode_add(message, 1.0, sum);
    }
    const double tolerance = 5.0 * v.norm() / (2.0 * s * std::sqrt(static_cast<double>(n)));
    for (Index i = 0; i < d; ++i) EXPECT_NEAR(sum[i] / n, v[i], tolerance) << i;
    EXPECT_EQ(sum[5], 0.0);  // a zero coordinate always gets level 0
  }
}

TEST(QsgdCompressor, Fp32NormIsRoundedUpSoLevelsNeverExceedS) {
  // One non-zero coordinate: r = s exactly; with a norm rounded down it would exceed s.
  Vector v = Vector::Zero(3);
  v[1] = 0.1;  // not representable in fp32
  QsgdCompressor c(3, 3, FloatFormat::Float32);
  Rng rng(1);
  std::vector<std::uint64_t> message(static_cast<std::size_t>(c.message_words()));
  c.encode(v, rng, message);
  Vector back;
  c.decode(message, back);
  EXPECT_GE(back[1], 0.1);
  EXPECT_LT(back[1], 0.1 * (1 + 1e-6));
}

TEST(QsgdCompressor, ZeroVectorAndBits) {
  QsgdCompressor c(100, 7, FloatFormat::Float32);
  Rng rng(1);
  std::vector<std::uint64_t> message(static_cast<std::size_t>(c.message_words()));
  c.encode(Vector::Zero(100), rng, message);
  Vector back;
  c.decode(message, back);
  EXPECT_TRUE(back.isZero(0.0));
  EXPECT_EQ(c.message_bits(), 32u + 100u * (1 + 3));  // s = 7: levels 0..7 in 3 bits
  EXPECT_EQ(QsgdCompressor(100, 8, FloatFormat::Float64).message_bits(), 64u + 100u * (1 + 4));
  EXPECT_EQ(QsgdCompressor(100, 1, FloatFormat::Float32).message_bits(), 32u + 100u * 2);
}

}  // namespace
}  // namespace signopt
