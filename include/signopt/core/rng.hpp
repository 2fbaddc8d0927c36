#pragma once
// Explicit, seeded random streams.
//
// Every stochastic component takes an Rng. A stream is derived from a tuple of keys
// (experiment seed, run seed, worker id, purpose tag, ...) by hashing, so two components never
// share a stream by accident and a run is bit-reproducible whatever the thread count.
// The generator is xoshiro256++ (Blackman & Vigna 2019); keys are mixed with SplitMix64.
// All distributions here are our own code, so samples do not depend on the standard library.
#include <array>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string_view>

namespace signopt {

// SplitMix64 finaliser: a bijective 64-bit mixer.
constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
  z += 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// A stable 64-bit tag for a purpose name ("noise", "minibatch", ...), FNV-1a.
constexpr std::uint64_t stream_tag(std::string_view name) noexcept {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ULL;
  }
  return h;
}

class Rng {
 public:
  using result_type = std::uint64_t;

  // A stream seeded by one key.
  explicit Rng(std::uint64_t seed = 0) noexcept { seed_from({seed}); }

  // A stream derived from several keys, e.g. Rng::derive({experiment, run, worker, tag}).
  static Rng derive(std::initializer_list<std::uint64_t> keys) noexcept {
    Rng r;
    r.seed_from(keys);
    return r;
  }

  // A child stream: independent of this one and of children with other keys.
  Rng split(std::uint64_t key) const noexcept {
    return derive({s_[0], s_[1], s_[2], s_[3], key});
  }

  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

  result_type operator()() noexcept { return next(); }

  std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(s_[0] + s_[3], 23) + s_[0];
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform on [0, 1), 53 random bits.
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  // Uniform on (0, 1): never 0, safe for log().
  double uniform_open() noexcept {
    return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53;
  }

  // Uniform integer in [0, n), unbiased (Lemire 2019). Requires n > 0.
  std::uint64_t uniform_int(std::uint64_t n) noexcept {
    __uint128_t m = static_cast<__uint128_t>(next()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<__uint128_t>(next()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

  // Standard normal by the Marsaglia polar method (no cached second value: each call is
  // self-contained, so a stream's state is exactly its four words).
  double normal() noexcept {
    double u, v, s;
    do {
      u = 2.0 * uniform() - 1.0;
      v = 2.0 * uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    return u * std::sqrt(-2.0 * std::log(s) / s);
  }

  // Standard exponential.
  double exponential() noexcept { return -std::log(uniform_open()); }

  // Random sign, ±1 with probability 1/2 each.
  double rademacher() noexcept { return (next() >> 63) ? 1.0 : -1.0; }

  const std::array<std::uint64_t, 4>& state() const noexcept { return s_; }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept {
    return (x << k) | (x >> (64 - k));
  }

  void seed_from(std::initializer_list<std::uint64_t> keys) noexcept {
    std::uint64_t h = 0x6A09E667F3BCC909ULL;
    for (std::uint64_t k : keys) h = mix64(h ^ mix64(k));
    for (auto& word : s_) {
      h = mix64(h);
      word = h;
    }
    if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;  // the all-zero state is a fixed point
  }

  std::array<std::uint64_t, 4> s_{};
};

}  // namespace signopt
