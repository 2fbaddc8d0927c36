#pragma once
// Compressors: what one worker puts on the wire (the Compressor of GRACE's split into
// compressor, memory and communicator).
//
// A compressor is built for one dimension d; encode() writes a fixed-size message of 64-bit
// words and decode() turns a message back into a vector in R^d. message_bits() is the exact
// number of bits of the encoded fields (docs/theory.md §4): a message occupies message_words() words
// on the wire, the difference being the zero padding that rounds fields up to word boundaries
// (less than 64 bits per aligned field group, documented per compressor).
// Momentum, error feedback and faults live outside: a compressor only maps v to C(v).
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "signopt/core/rng.hpp"
#include "signopt/core/types.hpp"

namespace signopt {

// How real numbers travel: IEEE-754 binary32 or binary64.
enum class FloatFormat { Float32, Float64 };
std::string to_string(FloatFormat f);
FloatFormat float_format_from_string(const std::string& name);  // "fp32" | "fp64"
constexpr int float_bits(FloatFormat f) noexcept { return f == FloatFormat::Float32 ? 32 : 64; }

enum class CompressorKind { Identity, Sign, ScaledSign, TopK, RandK, Qsgd };
std::string to_string(CompressorKind k);
CompressorKind compressor_kind_from_string(const std::string& name);  // throws listing names

// Parameters of a compressor; which fields matter depends on the kind.
struct CompressorSpec {
  CompressorKind kind = CompressorKind::Identity;
  // Floats on the wire: identity's values, top-k/rand-k values, the scale of scaled sign and
  // the norm of QSGD.
  FloatFormat values = FloatFormat::Float64;
  // top-k / rand-k: k coordinates; when k = 0, k = max(1, round(k_fraction · d)).
  Index k = 0;
  double k_fraction = 0.01;
  // rand-k: multiply the kept values by d/k so that E[C(v)] = v. Error feedback needs the
  // contractive, unscaled form instead (Stich et al. 2018): with the d/k factor the residual
  // p − C(p) can grow geometrically.
  bool rand_k_rescale = true;
  // QSGD: number of quantisation levels s ≥ 1 (levels 0, 1/s, ..., 1).
  int levels = 7;

  // k for dimension d after applying the fraction rule.
  Index resolved_k(Index d) const;
  // Throws Error naming the bad field.
  void validate(Index d) const;
  std::string describe() const;
};

class Compressor {
 public:
  explicit Compressor(Index d) : d_(d) {}
  virtual ~Compressor() = default;

  Index dim() const { return d_; }
  virtual std::string describe() const = 0;

  virtual Index message_words() const = 0;
  virtual std::uint64_t message_bits() const = 0;

  // Writes C(v) into `message` (message_words() words). `rng` is the worker's compressor
  // stream; deterministic compressors do not touch it.
  virtual void encode(const Vector& v, Rng& rng, std::span<std::uint64_t> message) const = 0;
  // out = decode(message) (out is resized to d).
  virtual void decode(std::span<const std::uint64_t> message, Vector& out) const = 0;
  // out += weight · decode(message), without a temporary vector.
  virtual void decode_add(std::span<const std::uint64_t> message, double weight,
                          Vector& out) const = 0;

  // E[decode(encode(v))] = v for every v (over the compressor's randomness), up to the
  // rounding of values to the wire's float format.
  virtual bool unbiased() const = 0;
  // The message is exactly d packed signs (bit_packing.hpp), as majority vote needs.
  virtual bool packed_sign_message() const { return false; }

 protected:
  void check_sizes(const Vector& v, std::span<const std::uint64_t> message) const;
  void check_message(std::span<const std::uint64_t> message) const;

 private:
  Index d_;
};

std::unique_ptr<Compressor> make_compressor(const CompressorSpec& spec, Index d);

}  // namespace signopt
