#include "signopt/distributed/majority_vote.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "signopt/core/error.hpp"
#include "signopt/core/rng.hpp"
#include "signopt/distributed/bit_packing.hpp"

namespace signopt {
namespace {

// The reference: unpack to ±1 floats, sum, and take sign with sign(0) = +1 (the tie rule).
Vector naive_vote(const std::vector<Vector>& signs) {
  Vector sum = Vector::Zero(signs[0].size());
  for (const Vector& s : signs) sum += s;
  Vector out(sum.size());
  for (Index i = 0; i < sum.size(); ++i) out[i] = sum[i] < 0 ? -1.0 : 1.0;
  return out;
}

// Runs the packed vote on M random ±1 vectors of dimension d; for even M, `tie_fraction` of
// the coordinates are forced to an exact tie (half the workers −1).
void check_against_naive(Index workers, Index d, std::uint64_t seed, double tie_fraction,
                         Index stride_padding) {
  Rng rng(seed);
  std::vector<Vector> signs(static_cast<std::size_t>(workers), Vector(d));
  for (Index i = 0; i < d; ++i) {
    const bool tie = workers % 2 == 0 && rng.uniform() < tie_fraction;
    for (Index j = 0; j < workers; ++j)
      signs[static_cast<std::size_t>(j)][i] = tie ? (j % 2 == 0 ? -1.0 : 1.0) : rng.rademacher();
  }
  const Index words = packed_word_count(d);
  const Index stride = words + stride_padding;
  std::vector<std::uint64_t> buffer(static_cast<std::size_t>(workers * stride), 0xDEADBEEFULL);
  for (Index j = 0; j < workers; ++j)
    pack_signs(signs[static_cast<std::size_t>(j)],
               std::span<std::uint64_t>(buffer).subspan(static_cast<std::size_t>(j * stride),
                                                        static_cast<std::size_t>(words)));
  std::vector<std::uint64_t> majority(static_cast<std::size_t>(words));
  majority_vote_packed({buffer, workers, words, stride}, majority);
  Vector got(d);
  unpack_signs(majority, got);
  const Vector want = naive_vote(signs);
  for (Index i = 0; i < d; ++i)
    ASSERT_EQ(got[i], want[i]) << "M=" << workers << " d=" << d << " i=" << i;
  if (d % 64 != 0) {
    EXPECT_EQ(majority.back() >> (d % 64), 0u);
  }
}

TEST(MajorityVote, EqualsNaiveFloatVoteForOneToSeventeenWorkers) {
  for (Index m = 1; m <= 17; ++m) {
    for (Index d : {1, 64, 100, 2047, 5000}) {
      check_against_naive(m, d, static_cast<std::uint64_t>(1000 * m + d), 0.3, 0);
    }
  }
}

TEST(MajorityVote, EqualsNaiveVoteWithPaddedStride) {
  for (Index m : {2, 3, 8, 13}) check_against_naive(m, 777, 42, 0.5, 3);
}

TEST(MajorityVote, LargeWorkerCountsUseMoreCounterBits) {
  for (Index m : {31, 32, 63, 64, 65, 100}) check_against_naive(m, 300, 7, 0.2, 0);
}

TEST(MajorityVote, EvenTiesBreakToPlusOne) {
  // Two workers disagreeing everywhere: every coordinate ties, so the vote is +1 (bit 0).
  std::vector<std::uint64_t> buffer = {0x0123456789ABCDEFULL, ~0x0123456789ABCDEFULL};
  std::vector<std::uint64_t> out(1, ~0ULL);
  majority_vote_packed({buffer, 2, 1, 1}, out);
  EXPECT_EQ(out[0], 0u);
  // Four workers, three voting −1 on bit 0 and two on bit 1 (a tie), one on bit 2.
  buffer = {0b001, 0b011, 0b111, 0b000};
  majority_vote_packed({buffer, 4, 1, 1}, out);
  EXPECT_EQ(out[0], 0b001u);
}

TEST(MajorityVote, BadLayoutIsAnError) {
  std::vector<std::uint64_t> buffer(4), out(2);
  EXPECT_THROW(majority_vote_packed({buffer, 0, 2, 2}, out), Error);
  EXPECT_THROW(majority_vote_packed({buffer, 3, 2, 2}, out), Error);  // needs 6 words
  EXPECT_THROW(majority_vote_packed({buffer, 2, 2, 1}, out), Error);  // stride < words
  std::vector<std::uint64_t> small(1);
  EXPECT_THROW(majority_vote_packed({buffer, 2, 2, 2}, small), Error);
}

}  // namespace
}  // namespace signopt
