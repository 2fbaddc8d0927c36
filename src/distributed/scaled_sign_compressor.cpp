#include "signopt/distributed/scaled_sign_compressor.hpp"

#include <bit>
#include <cmath>

#include "signopt/distributed/bit_packing.hpp"

namespace signopt {

ScaledSignCompressor::ScaledSignCompressor(Index d, FloatFormat scale_format)
    : Compressor(d), format_(scale_format) {}

std::string ScaledSignCompressor::describe() const {
  return "scaled-sign(scale " + to_string(format_) + ")";
}

Index ScaledSignCompressor::message_words() const { return 1 + packed_word_count(dim()); }

std::uint64_t ScaledSignCompressor::message_bits() const {
  return static_cast<std::uint64_t>(dim()) + static_cast<std::uint64_t>(float_bits(format_));
}

void ScaledSignCompressor::encode(const Vector& v, Rng&, std::span<std::uint64_t> message) const {
  check_sizes(v, message);
  const double scale = v.lpNorm<1>() / static_cast<double>(dim());
  message[0] = format_ == FloatFormat::Float64
                   ? std::bit_cast<std::uint64_t>(scale)
                   : std::uint64_t{std::bit_cast<std::uint32_t>(static_cast<float>(scale))};
  pack_signs(v, message.subspan(1));
}

double ScaledSignCompressor::scale_of(std::span<const std::uint64_t> message) const {
  check_message(message);
  return format_ == FloatFormat::Float64
             ? std::bit_cast<double>(message[0])
             : static_cast<double>(std::bit_cast<float>(static_cast<std::uint32_t>(message[0])));
}

void ScaledSignCompressor::decode(std::span<const std::uint64_t> message, Vector& out) const {
  out.setZero(dim());
  decode_add(message, 1.0, out);
}

void ScaledSignCompressor::decode_add(std::span<const std::uint64_t> message, double weight,
                                      Vector& out) const {
  const double scale = scale_of(message);
  add_scaled_signs(message.subspan(1), weight * scale,
                   std::span<double>(out.data(), static_cast<std::size_t>(dim())));
}

}  // namespace signopt
