#pragma once
// Scaled sign (Karimireddy et al. 2019, EF-SignSGD): C(v) = (‖v‖₁ / d) · sign(v).
// Wire: word 0 holds the scale (fp32 in its low 32 bits, or fp64), the d packed signs start at
// word 1 (bit_packing.hpp convention, sign(0) sent as +1). Bits: d + 32 (fp32) or d + 64
// (fp64); the 32 zero bits after an fp32 scale are alignment padding, not counted.
// ‖C(v)‖₁ = ‖v‖₁ (up to the rounding of the scale), the property EF-SignSGD's analysis uses.
#include "signopt/distributed/compressor.hpp"

namespace signopt {

class ScaledSignCompressor final : public Compressor {
 public:
  ScaledSignCompressor(Index d, FloatFormat scale_format);
  std::string describe() const override;
  Index message_words() const override;
  std::uint64_t message_bits() const override;
  void encode(const Vector& v, Rng& rng, std::span<std::uint64_t> message) const override;
  void decode(std::span<const std::uint64_t> message, Vector& out) const override;
  void decode_add(std::span<const std::uint64_t> message, double weight,
                  Vector& out) const override;
  bool unbiased() const override { return false; }

  // The scale as it travels (rounded to the wire format).
  double scale_of(std::span<const std::uint64_t> message) const;

 private:
  FloatFormat format_;
};

}  // namespace signopt
