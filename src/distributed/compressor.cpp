#include "signopt/distributed/compressor.hpp"

#include <cmath>

#include "signopt/core/error.hpp"
#include "signopt/distributed/identity_compressor.hpp"
#include "signopt/distributed/qsgd_compressor.hpp"
#include "signopt/distributed/rand_k_compressor.hpp"
#include "signopt/distributed/scaled_sign_compressor.hpp"
#include "signopt/distributed/sign_compressor.hpp"
#include "signopt/distributed/top_k_compressor.hpp"

namespace signopt {

std::string to_string(FloatFormat f) { return f == FloatFormat::Float32 ? "fp32" : "fp64"; }

FloatFormat float_format_from_string(const std::string& name) {
  if (name == "fp32") return FloatFormat::Float32;
  if (name == "fp64") return FloatFormat::Float64;
  fail("unknown float format '{}' (valid: fp32, fp64)", name);
}

namespace {
constexpr CompressorKind kAllKinds[] = {CompressorKind::Identity,   CompressorKind::Sign,
                                        CompressorKind::ScaledSign, CompressorKind::TopK,
                                        CompressorKind::RandK,      CompressorKind::Qsgd};
}

std::string to_string(CompressorKind k) {
  switch (k) {
    case CompressorKind::Identity:
      return "identity";
    case CompressorKind::Sign:
      return "sign";
    case CompressorKind::ScaledSign:
      return "scaled-sign";
    case CompressorKind::TopK:
      return "top-k";
    case CompressorKind::RandK:
      return "rand-k";
    case CompressorKind::Qsgd:
      return "qsgd";
  }
  return "?";
}

CompressorKind compressor_kind_from_string(const std::string& name) {
  for (CompressorKind k : kAllKinds)
    if (to_string(k) == name) return k;
  fail("unknown compressor '{}' (valid: identity, sign, scaled-sign, top-k, rand-k, qsgd)", name);
}

Index CompressorSpec::resolved_k(Index d) const {
  if (k > 0) return k;
  return std::max<Index>(1, static_cast<Index>(std::llround(k_fraction * static_cast<double>(d))));
}

void CompressorSpec::validate(Index d) const {
  require(d >= 1, "compressor '{}': dimension must be at least 1, got {}", to_string(kind), d);
  if (kind == CompressorKind::TopK || kind == CompressorKind::RandK) {
    require(k >= 0, "compressor '{}': k must be positive, got {}", to_string(kind), k);
    if (k == 0)
      require(std::isfinite(k_fraction) && k_fraction > 0.0 && k_fraction <= 1.0,
              "compressor '{}': k_fraction must be in (0, 1], got {}", to_string(kind), k_fraction);
    require(resolved_k(d) <= d, "compressor '{}': k = {} exceeds the dimension {}", to_string(kind),
            resolved_k(d), d);
  }
  if (kind == CompressorKind::Qsgd)
    require(levels >= 1 && levels <= (1 << 20),
            "compressor 'qsgd': levels must be in [1, 2^20], got {}", levels);
}

std::string CompressorSpec::describe() const {
  switch (kind) {
    case CompressorKind::Identity:
      return fmt::format("identity({})", to_string(values));
    case CompressorKind::Sign:
      return "sign";
    case CompressorKind::ScaledSign:
      return fmt::format("scaled-sign(scale {})", to_string(values));
    case CompressorKind::RandK:
      if (!rand_k_rescale)
        return k > 0 ? fmt::format("rand-k(k={}, {}, unscaled)", k, to_string(values))
                     : fmt::format("rand-k(k={}·d, {}, unscaled)", k_fraction, to_string(values));
      [[fallthrough]];
    case CompressorKind::TopK:
      return k > 0 ? fmt::format("{}(k={}, {})", to_string(kind), k, to_string(values))
                   : fmt::format("{}(k={}·d, {})", to_string(kind), k_fraction, to_string(values));
    case CompressorKind::Qsgd:
      return fmt::format("qsgd(s={}, norm {})", levels, to_string(values));
  }
  return "?";
}

void Compressor::check_sizes(const Vector& v, std::span<const std::uint64_t> message) const {
  require(v.size() == d_, "{}: vector has {} coordinates, the compressor was built for {}",
          describe(), v.size(), d_);
  check_message(message);
}

void Compressor::check_message(std::span<const std::uint64_t> message) const {
  require(static_cast<Index>(message.size()) == message_words(),
          "{}: message has {} words, expected {}", describe(), message.size(), message_words());
}

std::unique_ptr<Compressor> make_compressor(const CompressorSpec& spec, Index d) {
  spec.validate(d);
  switch (spec.kind) {
    case CompressorKind::Identity:
      return std::make_unique<IdentityCompressor>(d, spec.values);
    case CompressorKind::Sign:
      return std::make_unique<SignCompressor>(d);
    case CompressorKind::ScaledSign:
      return std::make_unique<ScaledSignCompressor>(d, spec.values);
    case CompressorKind::TopK:
      return std::make_unique<TopKCompressor>(d, spec.resolved_k(d), spec.values);
    case CompressorKind::RandK:
      return std::make_unique<RandKCompressor>(d, spec.resolved_k(d), spec.values,
                                               spec.rand_k_rescale);
    case CompressorKind::Qsgd:
      return std::make_unique<QsgdCompressor>(d, spec.levels, spec.values);
  }
  fail("unknown compressor kind");
}

}  // namespace signopt
