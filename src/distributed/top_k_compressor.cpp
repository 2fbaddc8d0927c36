#include "signopt/distributed/top_k_compressor.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "signopt/core/error.hpp"
#include "signopt/distributed/bit_stream.hpp"

namespace signopt {

namespace {

void write_value(BitWriter& out, double value, FloatFormat format) {
  if (format == FloatFormat::Float64)
    out.write_float64(value);
  else
    out.write_float32(static_cast<float>(value));
}

double read_value(BitReader& in, FloatFormat format) {
  return format == FloatFormat::Float64 ? in.read_float64()
                                        : static_cast<double>(in.read_float32());
}

}  // namespace

TopKCompressor::TopKCompressor(Index d, Index k, FloatFormat value_format)
    : Compressor(d), k_(k), format_(value_format) {
  require(k >= 1 && k <= d, "top-k: k must be in [1, d = {}], got {}", d, k);
}

std::string TopKCompressor::describe() const {
  return fmt::format("top-k(k={}, {})", k_, to_string(format_));
}

std::uint64_t TopKCompressor::message_bits() const {
  const auto index_bits =
      static_cast<std::uint64_t>(bits_for_count(static_cast<std::uint64_t>(dim())));
  return static_cast<std::uint64_t>(k_) *
         (index_bits + static_cast<std::uint64_t>(float_bits(format_)));
}

Index TopKCompressor::message_words() const {
  return static_cast<Index>((message_bits() + 63) / 64);
}

void TopKCompressor::encode(const Vector& v, Rng&, std::span<std::uint64_t> message) const {
  check_sizes(v, message);
  std::vector<Index> order(static_cast<std::size_t>(dim()));
  std::iota(order.begin(), order.end(), Index{0});
  // Larger magnitude first; equal magnitudes by smaller index: a strict total order, so the
  // selected set does not depend on the nth_element implementation.
  const auto larger = [&v](Index a, Index b) {
    const double ma = std::abs(v[a]), mb = std::abs(v[b]);
    return ma > mb || (ma == mb && a < b);
  };
  std::nth_element(order.begin(), order.begin() + (k_ - 1), order.end(), larger);
  order.resize(static_cast<std::size_t>(k_));
  std::sort(order.begin(), order.end());

  const int index_bits = bits_for_count(static_cast<std::uint64_t>(dim()));
  BitWriter out(message);
  for (Index i : order) {
    out.write(static_cast<std::uint64_t>(i), index_bits);
    write_value(out, v[i], format_);
  }
}

void TopKCompressor::decode(std::span<const std::uint64_t> message, Vector& out) const {
  out.setZero(dim());
  decode_add(message, 1.0, out);
}

void TopKCompressor::decode_add(std::span<const std::uint64_t> message, double weight,
                                Vector& out) const {
  check_message(message);
  const int index_bits = bits_for_count(static_cast<std::uint64_t>(dim()));
  BitReader in(message);
  for (Index r = 0; r < k_; ++r) {
    const auto i = static_cast<Index>(in.read(index_bits));
    require(i < dim(), "top-k message names coordinate {} outside dimension {}", i, dim());
    out[i] += weight * read_value(in, format_);
  }
}

}  // namespace signopt
