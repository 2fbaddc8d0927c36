#include "signopt/distributed/majority_vote.hpp"

#include "signopt/core/rng.hpp"

#include <algorithm>
#include <array>
#include <bit>

#include "signopt/core/error.hpp"

namespace signopt {

namespace {

// Words processed together: the counters of one block stay in L1 (kMaxCounterBits × kBlock
// words) and the innermost loops run over the block, which the compiler vectorises.
constexpr Index kBlock = 32;
constexpr int kMaxCounterBits = 32;

}  // namespace

void majority_vote_packed(const PackedVotes& votes, std::span<std::uint64_t> out,
                          const std::uint64_t* tie_key) {
  const Index m = votes.workers;
  const Index n = votes.words;
  require(m >= 1, "majority vote needs at least one worker, got {}", m);
  require(m < (Index{1} << 31), "majority vote supports fewer than 2^31 workers, got {}", m);
  require(n >= 0 && votes.stride >= n, "majority vote: stride {} is shorter than {} words",
          votes.stride, n);
  require(static_cast<Index>(votes.data.size()) >= (m - 1) * votes.stride + n,
          "majority vote: buffer of {} words is too short for {} workers × {} words",
          votes.data.size(), m, n);
  require(static_cast<Index>(out.size()) >= n, "majority vote: output of {} words, need {}",
          out.size(), n);

  const auto count_bits = static_cast<int>(std::bit_width(static_cast<std::uint64_t>(m)));
  const auto threshold = static_cast<std::uint64_t>(m / 2);  // negative iff count > ⌊M/2⌋
  const std::uint64_t* data = votes.data.data();

  std::array<std::array<std::uint64_t, kBlock>, kMaxCounterBits> counter{};
  for (Index start = 0; start < n; start += kBlock) {
    const Index len = std::min(kBlock, n - start);
    for (int k = 0; k < count_bits; ++k) counter[static_cast<std::size_t>(k)].fill(0);

    for (Index j = 0; j < m; ++j) {
      const std::uint64_t* worker = data + j * votes.stride + start;
      std::array<std::uint64_t, kBlock> carry{};
      for (Index w = 0; w < len; ++w) carry[static_cast<std::size_t>(w)] = worker[w];
      // Ripple-carry add of a 1-bit number into every lane's b-bit counter. The count never
      // exceeds M < 2^b, so the final carry is always 0.
      for (int k = 0; k < count_bits; ++k) {
        auto& c = counter[static_cast<std::size_t>(k)];
        for (Index w = 0; w < kBlock; ++w) {
          const auto i = static_cast<std::size_t>(w);
          const std::uint64_t t = c[i] & carry[i];
          c[i] ^= carry[i];
          carry[i] = t;
        }
      }
    }

    // count > threshold, bit-serially from the most significant bit: `greater` collects the
    // lanes already decided greater, `equal` those whose higher bits all matched so far.
    std::array<std::uint64_t, kBlock> greater{};
    std::array<std::uint64_t, kBlock> equal;
    equal.fill(~std::uint64_t{0});
    for (int k = count_bits - 1; k >= 0; --k) {
      const auto& c = counter[static_cast<std::size_t>(k)];
      if ((threshold >> k) & 1u) {
        for (Index w = 0; w < kBlock; ++w)
          equal[static_cast<std::size_t>(w)] &= c[static_cast<std::size_t>(w)];
      } else {
        for (Index w = 0; w < kBlock; ++w) {
          const auto i = static_cast<std::size_t>(w);
          greater[i] |= equal[i] & c[i];
          equal[i] &= ~c[i];
        }
      }
    }
    // After the loop `equal` marks count == ⌊M/2⌋: a tie when M is even.
    const bool break_ties = tie_key != nullptr && m % 2 == 0;
    for (Index w = 0; w < len; ++w) {
      std::uint64_t bits = greater[static_cast<std::size_t>(w)];
      if (break_ties) {
        bits |= equal[static_cast<std::size_t>(w)] &
                mix64(*tie_key ^ mix64(static_cast<std::uint64_t>(start + w)));
      }
      out[static_cast<std::size_t>(start + w)] = bits;
    }
  }
}

}  // namespace signopt
