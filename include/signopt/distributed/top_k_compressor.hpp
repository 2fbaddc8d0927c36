#pragma once
// Top-k sparsification: keep the k coordinates of largest |v_i| (ties broken towards the
// smaller index, so the choice is deterministic), zero the rest. Biased; pair it with error
// feedback. Wire: k records (index in ⌈log2 d⌉ bits, value in 32 or 64 bits) in increasing
// index order, one continuous bit stream. Bits: k · (⌈log2 d⌉ + 32|64), exactly.
#include "signopt/distributed/compressor.hpp"

namespace signopt {

class TopKCompressor final : public Compressor {
 public:
  TopKCompressor(Index d, Index k, FloatFormat value_format);
  std::string describe() const override;
  Index message_words() const override;
  std::uint64_t message_bits() const override;
  void encode(const Vector& v, Rng& rng, std::span<std::uint64_t> message) const override;
  void decode(std::span<const std::uint64_t> message, Vector& out) const override;
  void decode_add(std::span<const std::uint64_t> message, double weight,
                  Vector& out) const override;
  bool unbiased() const override { return false; }
  Index k() const { return k_; }

 private:
  Index k_;
  FloatFormat format_;
};

}  // namespace signopt
