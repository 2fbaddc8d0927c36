#pragma once
// No compression: the vector itself, d floats. Wire: fp64 → one value per word (64·d bits);
// fp32 → two values per word, coordinate 2w in the low half of word w (32·d bits).
#include "signopt/distributed/compressor.hpp"

namespace signopt {

class IdentityCompressor final : public Compressor {
 public:
  IdentityCompressor(Index d, FloatFormat format);
  std::string describe() const override;
  Index message_words() const override;
  std::uint64_t message_bits() const override;
  void encode(const Vector& v, Rng& rng, std::span<std::uint64_t> message) const override;
  void decode(std::span<const std::uint64_t> message, Vector& out) const override;
  void decode_add(std::span<const std::uint64_t> message, double weight,
                  Vector& out) const override;
  bool unbiased() const override { return true; }

 private:
  FloatFormat format_;
};

}  // namespace signopt
