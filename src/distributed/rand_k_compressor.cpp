#include "signopt/distributed/rand_k_compressor.hpp"

#include "signopt/core/error.hpp"
#include "signopt/distributed/bit_stream.hpp"

namespace signopt {

RandKCompressor::RandKCompressor(Index d, Index k, FloatFormat value_format, bool rescale)
    : Compressor(d), k_(k), format_(value_format), rescale_(rescale) {
  require(k >= 1 && k <= d, "rand-k: k must be in [1, d = {}], got {}", d, k);
}

std::string RandKCompressor::describe() const {
  return fmt::format("rand-k(k={}, {}{})", k_, to_string(format_), rescale_ ? "" : ", unscaled");
}

std::uint64_t RandKCompressor::message_bits() const {
  return 64 + static_cast<std::uint64_t>(k_) * static_cast<std::uint64_t>(float_bits(format_));
}

Index RandKCompressor::message_words() const {
  return static_cast<Index>((message_bits() + 63) / 64);
}

std::vector<Index> RandKCompressor::indices_for_seed(std::uint64_t seed) const {
  // Floyd's algorithm: for j = d − k, ..., d − 1 draw t uniform in [0, j]; take t unless it is
  // already taken, else take j. Every k-subset is equally likely, with k draws and a bitmap.
  Rng rng = Rng::derive({seed, stream_tag("rand-k indices")});
  const Index d = dim();
  std::vector<std::uint64_t> taken(static_cast<std::size_t>((d + 63) / 64), 0);
  std::vector<Index> indices;
  indices.reserve(static_cast<std::size_t>(k_));
  for (Index j = d - k_; j < d; ++j) {
    auto t = static_cast<Index>(rng.uniform_int(static_cast<std::uint64_t>(j + 1)));
    if ((taken[static_cast<std::size_t>(t / 64)] >> (t % 64)) & 1u) t = j;
    taken[static_cast<std::size_t>(t / 64)] |= std::uint64_t{1} << (t % 64);
    indices.push_back(t);
  }
  return indices;
}

void RandKCompressor::encode(const Vector& v, Rng& rng, std::span<std::uint64_t> message) const {
  check_sizes(v, message);
  const std::uint64_t seed = rng.next();
  BitWriter out(message);
  out.write(seed, 64);
  for (Index i : indices_for_seed(seed)) {
    if (format_ == FloatFormat::Float64)
      out.write_float64(v[i]);
    else
      out.write_float32(static_cast<float>(v[i]));
  }
}

void RandKCompressor::decode(std::span<const std::uint64_t> message, Vector& out) const {
  out.setZero(dim());
  decode_add(message, 1.0, out);
}

void RandKCompressor::decode_add(std::span<const std::uint64_t> message, double weight,
                                 Vector& out) const {
  check_message(message);
  BitReader in(message);
  const std::uint64_t seed = in.read(64);
  // E[C(v)_i] = P(i kept) · (d/k) · v_i = v_i.
  const double scale = rescale_ ? static_cast<double>(dim()) / static_cast<double>(k_) : 1.0;
  for (Index i : indices_for_seed(seed)) {
    const double value = format_ == FloatFormat::Float64 ? in.read_float64()
                                                         : static_cast<double>(in.read_float32());
    out[i] += weight * (scale * value);
  }
}

}  // namespace signopt
