#include "signopt/distributed/sign_compressor.hpp"

#include "signopt/distributed/bit_packing.hpp"

namespace signopt {

SignCompressor::SignCompressor(Index d) : Compressor(d) {}

Index SignCompressor::message_words() const { return packed_word_count(dim()); }

std::uint64_t SignCompressor::message_bits() const { return static_cast<std::uint64_t>(dim()); }

void SignCompressor::encode(const Vector& v, Rng&, std::span<std::uint64_t> message) const {
  check_sizes(v, message);
  pack_signs(v, message);
}

void SignCompressor::decode(std::span<const std::uint64_t> message, Vector& out) const {
  check_message(message);
  out.resize(dim());
  unpack_signs(message, out);
}

void SignCompressor::decode_add(std::span<const std::uint64_t> message, double weight,
                                Vector& out) const {
  check_message(message);
  add_scaled_signs(message, weight, std::span<double>(out.data(), static_cast<std::size_t>(dim())));
}

}  // namespace signopt
