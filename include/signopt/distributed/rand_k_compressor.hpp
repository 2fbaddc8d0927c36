#pragma once
// Rand-k sparsification: k coordinates chosen uniformly without replacement, scaled by d/k so
// that E[C(v)] = v (each coordinate is kept with probability k/d). With rescale = false the
// values are kept as they are: biased, but contractive (E‖C(v) − v‖² = (1 − k/d)‖v‖²), the form
// error feedback needs (Stich et al. 2018, "Sparsified SGD with memory").
// The index set is not sent: the worker draws a 64-bit seed from its compressor stream, the
// indices come from a stream derived from that seed (Floyd's sampling algorithm), and the
// receiver regenerates them. Wire: word 0 = seed, then the k values (32 or 64 bits each, in
// the order Floyd's algorithm produces the indices). Values travel unscaled; the receiver
// multiplies by d/k (if rescale). Bits: 64 + k · (32|64), exactly.
#include <vector>

#include "signopt/distributed/compressor.hpp"

namespace signopt {

class RandKCompressor final : public Compressor {
 public:
  RandKCompressor(Index d, Index k, FloatFormat value_format, bool rescale = true);
  std::string describe() const override;
  Index message_words() const override;
  std::uint64_t message_bits() const override;
  void encode(const Vector& v, Rng& rng, std::span<std::uint64_t> message) const override;
  void decode(std::span<const std::uint64_t> message, Vector& out) const override;
  void decode_add(std::span<const std::uint64_t> message, double weight,
                  Vector& out) const override;
  bool unbiased() const override { return rescale_; }
  Index k() const { return k_; }

  // The k indices a seed selects, in wire order.
  std::vector<Index> indices_for_seed(std::uint64_t seed) const;

 private:
  Index k_;
  FloatFormat format_;
  bool rescale_;
};

}  // namespace signopt
