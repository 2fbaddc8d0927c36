#pragma once
// C(v) = sign(v): d bits, the packed-sign wire format of bit_packing.hpp (bit 1 = negative,
// sign(0) sent as +1). Biased; majority vote aggregates these messages on the packed words.
#include "signopt/distributed/compressor.hpp"

namespace signopt {

class SignCompressor final : public Compressor {
 public:
  explicit SignCompressor(Index d);
  std::string describe() const override { return "sign"; }
  Index message_words() const override;
  std::uint64_t message_bits() const override;
  void encode(const Vector& v, Rng& rng, std::span<std::uint64_t> message) const override;
  void decode(std::span<const std::uint64_t> message, Vector& out) const override;
  void decode_add(std::span<const std::uint64_t> message, double weight,
                  Vector& out) const override;
  bool unbiased() const override { return false; }
  bool packed_sign_message() const override { return true; }
};

}  // namespace signopt
