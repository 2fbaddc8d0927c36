#include "signopt/distributed/identity_compressor.hpp"

#include <bit>

namespace signopt {

IdentityCompressor::IdentityCompressor(Index d, FloatFormat format)
    : Compressor(d), format_(format) {}

std::string IdentityCompressor::describe() const { return "identity(" + to_string(format_) + ")"; }

Index IdentityCompressor::message_words() const {
  return format_ == FloatFormat::Float64 ? dim() : (dim() + 1) / 2;
}

std::uint64_t IdentityCompressor::message_bits() const {
  return static_cast<std::uint64_t>(dim()) * static_cast<std::uint64_t>(float_bits(format_));
}

void IdentityCompressor::encode(const Vector& v, Rng&, std::span<std::uint64_t> message) const {
  check_sizes(v, message);
  const Index d = dim();
  if (format_ == FloatFormat::Float64) {
    for (Index i = 0; i < d; ++i)
      message[static_cast<std::size_t>(i)] = std::bit_cast<std::uint64_t>(v[i]);
    return;
  }
  for (Index w = 0; w < message_words(); ++w) {
    const auto lo = std::bit_cast<std::uint32_t>(static_cast<float>(v[2 * w]));
    const auto hi =
        2 * w + 1 < d ? std::bit_cast<std::uint32_t>(static_cast<float>(v[2 * w + 1])) : 0u;
    message[static_cast<std::size_t>(w)] = std::uint64_t{lo} | (std::uint64_t{hi} << 32);
  }
}

void IdentityCompressor::decode(std::span<const std::uint64_t> message, Vector& out) const {
  out.setZero(dim());
  decode_add(message, 1.0, out);
}

void IdentityCompressor::decode_add(std::span<const std::uint64_t> message, double weight,
                                    Vector& out) const {
  check_message(message);
  const Index d = dim();
  if (format_ == FloatFormat::Float64) {
    for (Index i = 0; i < d; ++i)
      out[i] += weight * std::bit_cast<double>(message[static_cast<std::size_t>(i)]);
    return;
  }
  for (Index i = 0; i < d; ++i) {
    const std::uint64_t word = message[static_cast<std::size_t>(i / 2)];
    const auto bits = static_cast<std::uint32_t>(i % 2 == 0 ? word : word >> 32);
    out[i] += weight * static_cast<double>(std::bit_cast<float>(bits));
  }
}

}  // namespace signopt
