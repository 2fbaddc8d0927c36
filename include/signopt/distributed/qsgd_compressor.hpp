#pragma once
// QSGD with s levels (Alistarh et al. 2017): C(v)_i = ‖v‖₂ · sign(v_i) · ξ_i / s, where with
// r_i = s |v_i| / ‖v‖₂ and l = ⌊r_i⌋, ξ_i = l + 1 with probability r_i − l and l otherwise.
// E[ξ_i] = r_i, so C is unbiased.
// Wire (fixed width, no entropy coding): the norm (32 or 64 bits; an fp32 norm is rounded
// *up* so that r_i ≤ s and unbiasedness survives the rounding), then for each coordinate one
// sign bit (1 = negative) and the level ξ_i in ⌈log2(s + 1)⌉ bits, one continuous bit stream.
// Bits: (32|64) + d · (1 + ⌈log2(s + 1)⌉), exactly.
#include "signopt/distributed/compressor.hpp"

namespace signopt {

class QsgdCompressor final : public Compressor {
 public:
  QsgdCompressor(Index d, int levels, FloatFormat norm_format);
  std::string describe() const override;
  Index message_words() const override;
  std::uint64_t message_bits() const override;
  void encode(const Vector& v, Rng& rng, std::span<std::uint64_t> message) const override;
  void decode(std::span<const std::uint64_t> message, Vector& out) const override;
  void decode_add(std::span<const std::uint64_t> message, double weight,
                  Vector& out) const override;
  bool unbiased() const override { return true; }
  int levels() const { return levels_; }

 private:
  int levels_;
  int level_bits_;
  FloatFormat format_;
};

}  // namespace signopt
