#include "signopt/distributed/aggregator.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "signopt/core/error.hpp"
#include "signopt/distributed/identity_compressor.hpp"
#include "signopt/distributed/scaled_sign_compressor.hpp"
#include "signopt/distributed/sign_compressor.hpp"

namespace signopt {
namespace {

TEST(Aggregator, NamesRoundTrip) {
  EXPECT_EQ(aggregator_from_string("mean"), AggregatorKind::Mean);
  EXPECT_EQ(aggregator_from_string("majority-vote"), AggregatorKind::MajorityVote);
  EXPECT_THROW(aggregator_from_string("median"), Error);
}

TEST(Aggregator, MeanOfDecodedMessages) {
  const Index d = 3;
  IdentityCompressor c(d, FloatFormat::Float64);
  MessageBuffer buffer(3, c.message_words());
  Rng rng(0);
  c.encode((Vector(3) << 1, 2, 3).finished(), rng, buffer.slot(0));
  c.encode((Vector(3) << -1, 0, 6).finished(), rng, buffer.slot(1));
  c.encode((Vector(3) << 3, 1, 0).finished(), rng, buffer.slot(2));
  MeanAggregator mean;
  Vector a;
  mean.aggregate(buffer, c, a);
  EXPECT_EQ(a, Vector((Vector(3) << 1, 1, 3).finished()));
  CompressorSpec spec;  // identity fp64: the mean goes back as 64-bit floats
  EXPECT_EQ(mean.downlink_bits(spec, d), 192u);
}

TEST(Aggregator, ScaledSignMean) {
  const Index d = 2;
  ScaledSignCompressor c(d, FloatFormat::Float64);
  MessageBuffer buffer(2, c.message_words());
  Rng rng(0);
  c.encode((Vector(2) << 1, -3).finished(), rng, buffer.slot(0));   // scale 2: (2, −2)
  c.encode((Vector(2) << -4, -2).finished(), rng, buffer.slot(1));  // scale 3: (−3, −3)
  MeanAggregator mean;
  Vector a;
  mean.aggregate(buffer, c, a);
  EXPECT_EQ(a, Vector((Vector(2) << -0.5, -2.5).finished()));
}

TEST(Aggregator, MajorityVoteFromPackedMessagesBreaksTiesAtRandom) {
  const Index d = 4;
  SignCompressor c(d);
  MessageBuffer buffer(4, c.message_words());
  Rng rng(0);
  c.encode((Vector(4) << -1, -1, 1, -1).finished(), rng, buffer.slot(0));
  c.encode((Vector(4) << -1, 1, 1, -1).finished(), rng, buffer.slot(1));
  c.encode((Vector(4) << -1, -1, 1, 1).finished(), rng, buffer.slot(2));
  c.encode((Vector(4) << 1, 1, -1, 1).finished(), rng, buffer.slot(3));
  MajorityVoteAggregator vote;
  Vector a;
  vote.aggregate(buffer, c, a);
  // Sums: −2, 0 (tie), +2, 0 (tie): decided coordinates follow the majority, ties get ±1.
  EXPECT_EQ(a[0], -1.0);
  EXPECT_EQ(a[2], 1.0);
  EXPECT_EQ(std::abs(a[1]), 1.0);
  EXPECT_EQ(std::abs(a[3]), 1.0);
  EXPECT_EQ(vote.downlink_bits(CompressorSpec{}, d), 4u);
  // Over many votes the tied coordinates go either way about equally often (no +1 bias), and
  // a second aggregator (another process) breaks them identically.
  MajorityVoteAggregator twin;
  Vector b;
  twin.aggregate(buffer, c, b);
  EXPECT_EQ(a, b);
  int plus = 0;
  for (int i = 0; i < 1000; ++i) {
    vote.aggregate(buffer, c, a);
    twin.aggregate(buffer, c, b);
    ASSERT_EQ(a, b);
    plus += (a[1] > 0) + (a[3] > 0);
  }
  EXPECT_NEAR(plus / 2000.0, 0.5, 0.05);  // 4.5 standard deviations
}

TEST(Aggregator, MajorityVoteNeedsSignMessages) {
  IdentityCompressor c(3, FloatFormat::Float64);
  MessageBuffer buffer(2, c.message_words());
  MajorityVoteAggregator vote;
  Vector a;
  EXPECT_THROW(vote.aggregate(buffer, c, a), Error);
}

}  // namespace
}  // namespace signopt
