#include "signopt/distributed/qsgd_compressor.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "signopt/core/error.hpp"
#include "signopt/distributed/bit_stream.hpp"

namespace signopt {

QsgdCompressor::QsgdCompressor(Index d, int levels, FloatFormat norm_format)
    : Compressor(d),
      levels_(levels),
      level_bits_(bits_for_count(static_cast<std::uint64_t>(levels) + 1)),
      format_(norm_format) {
  require(levels >= 1, "qsgd: levels must be at least 1, got {}", levels);
}

std::string QsgdCompressor::describe() const {
  return fmt::format("qsgd(s={}, norm {})", levels_, to_string(format_));
}

std::uint64_t QsgdCompressor::message_bits() const {
  return static_cast<std::uint64_t>(float_bits(format_)) +
         static_cast<std::uint64_t>(dim()) * static_cast<std::uint64_t>(1 + level_bits_);
}

Index QsgdCompressor::message_words() const {
  return static_cast<Index>((message_bits() + 63) / 64);
}

void QsgdCompressor::encode(const Vector& v, Rng& rng, std::span<std::uint64_t> message) const {
  check_sizes(v, message);
  double norm = v.norm();
  require(std::isfinite(norm), "qsgd: cannot quantise a vector with non-finite entries");
  BitWriter out(message);
  if (format_ == FloatFormat::Float32) {
    float f = static_cast<float>(norm);
    // Round up so that |v_i| ≤ norm on the wire, keeping r_i ≤ s and E[C(v)] = v.
    if (static_cast<double>(f) < norm)
      f = std::nextafter(f, std::numeric_limits<float>::infinity());
    out.write_float32(f);
    norm = static_cast<double>(f);
  } else {
    out.write_float64(norm);
  }
  const double s = static_cast<double>(levels_);
  for (Index i = 0; i < dim(); ++i) {
    std::uint64_t level = 0;
    if (norm > 0.0) {
      const double r = std::min(s * std::abs(v[i]) / norm, s);
      const double lower = std::floor(r);
      level = static_cast<std::uint64_t>(lower) + (rng.uniform() < r - lower ? 1u : 0u);
    }
    out.write(v[i] < 0.0 ? 1u : 0u, 1);
    out.write(level, level_bits_);
  }
}

void QsgdCompressor::decode(std::span<const std::uint64_t> message, Vector& out) const {
  out.setZero(dim());
  decode_add(message, 1.0, out);
}

void QsgdCompressor::decode_add(std::span<const std::uint64_t> message, double weight,
                                Vector& out) const {
  check_message(message);
  BitReader in(message);
  const double norm =
      format_ == FloatFormat::Float64 ? in.read_float64() : static_cast<double>(in.read_float32());
  const double unit = norm / static_cast<double>(levels_);
  for (Index i = 0; i < dim(); ++i) {
    const bool negative = in.read(1) != 0;
    const auto level = static_cast<double>(in.read(level_bits_));
    const double value = unit * level;
    out[i] += weight * (negative ? -value : value);
  }
}

}  // namespace signopt
