#pragma once
// Majority vote over M workers' packed signs, computed on the packed words by bit-sliced
// counting (no unpacking to floats).
//
// For every coordinate the server needs sign(Σ_j s_j) with s_j ∈ {−1, +1} (Bernstein et al.
// 2019, signSGD with majority vote). With c = the number of workers voting −1 (bit 1),
// Σ_j s_j = M − 2c, so the vote is negative iff 2c > M.
// Tie rule (even M, 2c = M, Σ_j s_j = 0): the result is +1 (bit 0) — the wire's own
// sign(0) = +1 convention applied to the sum. The result is always 1 bit per coordinate, so the
// downlink costs exactly d bits.
//
// Bit slicing: for 64 coordinates at a time (one word), keep the counts c as a binary number
// spread over b = bit_width(M) "vertical" counter words (counter k holds bit k of every lane's
// count), add each worker's word with a ripple-carry adder of AND/XOR, then compare the counts
// with ⌊M/2⌋ bit-serially from the most significant counter down. Work per worker per word is
// about 3b word operations, against 64 float additions when unpacked.
#include <cstdint>
#include <span>

#include "signopt/core/types.hpp"

namespace signopt {

// M workers' packed sign vectors in one buffer: worker j's `words` words start at
// data[j · stride] (stride ≥ words).
struct PackedVotes {
  std::span<const std::uint64_t> data;
  Index workers = 0;
  Index words = 0;
  Index stride = 0;
};

// out[w] bit b = 1 (majority negative) iff more than half the workers have that bit set;
// `out` must hold votes.words words. Throws Error on an inconsistent layout.
// With `tie_key`, a tied coordinate (even M) gets a pseudo-random bit instead: bit b of word w is
// bit b of mix64(tie_key ^ mix64(w)). Every process computes the same bits from the same key,
// the downlink stays d bits, and the vote is no longer biased towards +1 (with the fixed rule,
// ties — frequent for M = 2, 4 — push every tied coordinate the same way each step).
void majority_vote_packed(const PackedVotes& votes, std::span<std::uint64_t> out,
                          const std::uint64_t* tie_key = nullptr);

}  // namespace signopt
