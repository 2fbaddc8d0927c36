#include "signopt/distributed/aggregator.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "signopt/core/error.hpp"
#include "signopt/distributed/identity_compressor.hpp"
#include "signopt/distributed/scaled_sign_compressor.hpp"
#include "signopt/distributed/sign_compressor.hpp"
#include "signopt/distributed/top_k_compressor.hpp"

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
  CompressorSpec spec;  // identity fp64: the mean goes back as 64-bit floats
  spec.values = FloatFormat::Float64;
  MeanAggregator mean(spec);
  EXPECT_EQ(mean.last_downlink_bits(), 0u);  // nothing sent yet
  Vector a;
  mean.aggregate(buffer, c, a);
  EXPECT_EQ(a, Vector((Vector(3) << 1, 1, 3).finished()));
  EXPECT_EQ(mean.last_downlink_bits(), 192u);
}

TEST(Aggregator, ScaledSignMean) {
  const Index d = 2;
  ScaledSignCompressor c(d, FloatFormat::Float64);
  MessageBuffer buffer(2, c.message_words());
  Rng rng(0);
  c.encode((Vector(2) << 1, -3).finished(), rng, buffer.slot(0));   // scale 2: (2, −2)
  c.encode((Vector(2) << -4, -2).finished(), rng, buffer.slot(1));  // scale 3: (−3, −3)
  MeanAggregator mean({CompressorKind::ScaledSign, FloatFormat::Float64});
  Vector a;
  mean.aggregate(buffer, c, a);
  EXPECT_EQ(a, Vector((Vector(2) << -0.5, -2.5).finished()));
  EXPECT_EQ(mean.last_downlink_bits(), 2u * 64u);  // the mean is dense: d fp64 values
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
  MajorityVoteAggregator vote(majority_tie_seed({1, 2, 0}));
  Vector a;
  vote.aggregate(buffer, c, a);
  // Sums: −2, 0 (tie), +2, 0 (tie): decided coordinates follow the majority, ties get ±1.
  EXPECT_EQ(a[0], -1.0);
  EXPECT_EQ(a[2], 1.0);
  EXPECT_EQ(std::abs(a[1]), 1.0);
  EXPECT_EQ(std::abs(a[3]), 1.0);
  EXPECT_EQ(vote.last_downlink_bits(), 4u);
  // Over many votes the tied coordinates go either way about equally often (no +1 bias), and
  // a second aggregator (another process) breaks them identically.
  MajorityVoteAggregator twin(majority_tie_seed({1, 2, 0}));
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

TEST(Aggregator, TieBitsComeFromTheRunSeed) {
  // Two workers with opposite signs everywhere: every coordinate ties, so the vote is made of
  // tie-breaking bits only.
  const Index d = 256;
  SignCompressor c(d);
  MessageBuffer buffer(2, c.message_words());
  Rng rng(0);
  const Vector v = Vector::LinSpaced(d, -1.0, 1.0);
  c.encode(v, rng, buffer.slot(0));
  c.encode(-v, rng, buffer.slot(1));
  const auto votes = [&](const StreamKey& run, int count) {
    MajorityVoteAggregator vote(majority_tie_seed(run));
    std::vector<Vector> out(static_cast<std::size_t>(count));
    for (auto& a : out) vote.aggregate(buffer, c, a);
    return out;
  };
  const auto seed5 = votes({1, 5, 0}, 3);
  // One seed: reproducible (another process builds the same aggregator from the same key).
  EXPECT_EQ(seed5, votes({1, 5, 0}, 3));
  // The worker field is not part of the seed: every worker's process breaks ties alike.
  EXPECT_EQ(seed5, votes({1, 5, 3}, 3));
  // Another run seed or experiment seed: other bits (equal with probability 2^-256).
  EXPECT_NE(seed5[0], votes({1, 6, 0}, 1)[0]);
  EXPECT_NE(seed5[0], votes({2, 5, 0}, 1)[0]);
  // Successive votes of one run draw fresh bits.
  EXPECT_NE(seed5[0], seed5[1]);
  EXPECT_NE(seed5[1], seed5[2]);
  EXPECT_EQ(majority_tie_seed({1, 5, 0}), majority_tie_seed({1, 5, 9}));
  EXPECT_NE(majority_tie_seed({1, 5, 0}), majority_tie_seed({5, 1, 0}));
}

TEST(Aggregator, SparseMeanDownlinkIsTheCheaperEncodingOfItsNonzeros) {
  // top-k fp32, d = 1000: indices take ⌈log2 1000⌉ = 10 bits, the count ⌈log2 1001⌉ = 10 bits.
  const Index d = 1000;
  TopKCompressor c(d, 2, FloatFormat::Float32);
  const CompressorSpec spec{CompressorKind::TopK, FloatFormat::Float32, 2};
  MessageBuffer buffer(3, c.message_words());
  Rng rng(0);
  const auto spike = [d](std::initializer_list<std::pair<Index, double>> entries) {
    Vector v = Vector::Zero(d);
    for (auto [i, value] : entries) v[i] = value;
    return v;
  };
  MeanAggregator mean(spec);
  Vector a;
  // Disjoint supports: n = 6 nonzeros → 1 + 10 + 6·(10 + 32).
  c.encode(spike({{1, 1.0}, {2, 2.0}}), rng, buffer.slot(0));
  c.encode(spike({{3, 1.0}, {4, 2.0}}), rng, buffer.slot(1));
  c.encode(spike({{5, 1.0}, {6, 2.0}}), rng, buffer.slot(2));
  mean.aggregate(buffer, c, a);
  EXPECT_EQ((a.array() != 0.0).count(), 6);
  EXPECT_EQ(mean.last_downlink_bits(), 1u + 10u + 6u * 42u);
  // The same support on every worker: n = 2.
  for (Index j = 0; j < 3; ++j) c.encode(spike({{1, 1.0}, {2, 2.0}}), rng, buffer.slot(j));
  mean.aggregate(buffer, c, a);
  EXPECT_EQ(mean.last_downlink_bits(), 1u + 10u + 2u * 42u);
  // Values that cancel are not sent: n = 1.
  c.encode(spike({{1, 1.0}, {2, 2.0}}), rng, buffer.slot(0));
  c.encode(spike({{1, -1.0}, {2, 2.0}}), rng, buffer.slot(1));
  c.encode(spike({{7, 1.0}, {2, -4.0}}), rng, buffer.slot(2));
  mean.aggregate(buffer, c, a);
  EXPECT_EQ((a.array() != 0.0).count(), 1);
  EXPECT_EQ(mean.last_downlink_bits(), 1u + 10u + 1u * 42u);

  // d = 16, k = 8, two workers with disjoint supports: n = 16, and the list (⌈log2 17⌉ = 5
  // count bits + 16·(4 + 32) = 581) costs more than 16 dense fp32 values (512).
  TopKCompressor wide(16, 8, FloatFormat::Float32);
  MessageBuffer two(2, wide.message_words());
  Vector low = Vector::Zero(16), high = Vector::Zero(16);
  low.head(8).setOnes();
  high.tail(8).setOnes();
  wide.encode(low, rng, two.slot(0));
  wide.encode(high, rng, two.slot(1));
  MeanAggregator dense_wins({CompressorKind::TopK, FloatFormat::Float32, 8});
  dense_wins.aggregate(two, wide, a);
  EXPECT_EQ(dense_wins.last_downlink_bits(), 1u + 512u);
}

TEST(Aggregator, MeanOfSignsIsSentAsVoteCounts) {
  // M = 3: each coordinate's count of −1 votes is in {0..3}, ⌈log2 4⌉ = 2 bits.
  const Index d = 5;
  SignCompressor c(d);
  MessageBuffer buffer(3, c.message_words());
  Rng rng(0);
  for (Index j = 0; j < 3; ++j) c.encode(Vector::LinSpaced(d, -1.0, 1.0), rng, buffer.slot(j));
  MeanAggregator mean({CompressorKind::Sign});
  Vector a;
  mean.aggregate(buffer, c, a);
  EXPECT_EQ(mean.last_downlink_bits(), 5u * 2u);
}

TEST(Aggregator, MajorityVoteNeedsSignMessages) {
  IdentityCompressor c(3, FloatFormat::Float64);
  MessageBuffer buffer(2, c.message_words());
  MajorityVoteAggregator vote(0);
  Vector a;
  EXPECT_THROW(vote.aggregate(buffer, c, a), Error);
}

}  // namespace
}  // namespace signopt
