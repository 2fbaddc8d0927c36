#pragma once
// Writing and reading fields of arbitrary bit width into a buffer of 64-bit words: the wire
// format of compressed messages (top-k indices, QSGD levels, floats).
//
// Bits are laid out least-significant first: field bit j goes to stream position p + j, and
// stream position q is word q / 64, bit q % 64 — the same order as bit_packing.hpp, so a run
// of 1-bit fields written here reads back as packed signs. Floats are written as their IEEE-754
// bit patterns (32 bits for fp32, 64 for fp64).
#include <bit>
#include <cstdint>
#include <span>

#include "signopt/core/error.hpp"

namespace signopt {

// Bits needed to write any integer in [0, n − 1]: ⌈log2 n⌉ (0 for n ≤ 1).
constexpr int bits_for_count(std::uint64_t n) noexcept {
  return n <= 1 ? 0 : 64 - std::countl_zero(n - 1);
}

class BitWriter {
 public:
  // Writes into `words`, which are zeroed first.
  explicit BitWriter(std::span<std::uint64_t> words) : words_(words) {
    for (auto& w : words_) w = 0;
  }

  // Appends the low `width` bits of value (0 ≤ width ≤ 64).
  void write(std::uint64_t value, int width) {
    if (width == 0) return;
    if (width < 64) value &= (std::uint64_t{1} << width) - 1;
    const std::uint64_t end = position_ + static_cast<std::uint64_t>(width);
    require(end <= 64 * words_.size(), "BitWriter: message buffer of {} words overflows",
            words_.size());
    const std::size_t word = position_ / 64;
    const int offset = static_cast<int>(position_ % 64);
    words_[word] |= value << offset;
    if (offset + width > 64) words_[word + 1] |= value >> (64 - offset);
    position_ = end;
  }
  void write_float32(float value) { write(std::bit_cast<std::uint32_t>(value), 32); }
  void write_float64(double value) { write(std::bit_cast<std::uint64_t>(value), 64); }

  // Moves to the next word boundary (the skipped bits stay 0).
  void align_to_word() { position_ = (position_ + 63) / 64 * 64; }

  std::uint64_t position() const { return position_; }

 private:
  std::span<std::uint64_t> words_;
  std::uint64_t position_ = 0;
};

class BitReader {
 public:
  explicit BitReader(std::span<const std::uint64_t> words) : words_(words) {}

  std::uint64_t read(int width) {
    if (width == 0) return 0;
    const std::uint64_t end = position_ + static_cast<std::uint64_t>(width);
    require(end <= 64 * words_.size(), "BitReader: message of {} words is too short",
            words_.size());
    const std::size_t word = position_ / 64;
    const int offset = static_cast<int>(position_ % 64);
    std::uint64_t value = words_[word] >> offset;
    if (offset + width > 64) value |= words_[word + 1] << (64 - offset);
    if (width < 64) value &= (std::uint64_t{1} << width) - 1;
    position_ = end;
    return value;
  }
  float read_float32() { return std::bit_cast<float>(static_cast<std::uint32_t>(read(32))); }
  double read_float64() { return std::bit_cast<double>(read(64)); }
  void align_to_word() { position_ = (position_ + 63) / 64 * 64; }
  std::uint64_t position() const { return position_; }

 private:
  std::span<const std::uint64_t> words_;
  std::uint64_t position_ = 0;
};

}  // namespace signopt
