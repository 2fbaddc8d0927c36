#include "signopt/distributed/bit_stream.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "signopt/core/rng.hpp"

namespace signopt {
namespace {

TEST(BitStream, BitsForCount) {
  EXPECT_EQ(bits_for_count(0), 0);
  EXPECT_EQ(bits_for_count(1), 0);
  EXPECT_EQ(bits_for_count(2), 1);
  EXPECT_EQ(bits_for_count(3), 2);
  EXPECT_EQ(bits_for_count(4), 2);
  EXPECT_EQ(bits_for_count(5), 3);
  EXPECT_EQ(bits_for_count(1024), 10);
  EXPECT_EQ(bits_for_count(1025), 11);
  EXPECT_EQ(bits_for_count(10'000'000), 24);
}

TEST(BitStream, FieldsOfMixedWidthsRoundTripAcrossWordBoundaries) {
  Rng rng(5);
  std::vector<int> widths;
  std::vector<std::uint64_t> values;
  std::uint64_t total = 0;
  for (int i = 0; i < 500; ++i) {
    const int w = static_cast<int>(rng.uniform_int(65));  // 0..64
    const std::uint64_t mask = w == 64 ? ~0ULL : (w == 0 ? 0 : (1ULL << w) - 1);
    widths.push_back(w);
    values.push_back(rng.next() & mask);
    total += static_cast<std::uint64_t>(w);
  }
  std::vector<std::uint64_t> words((total + 63) / 64, ~0ULL);
  BitWriter out(words);
  for (std::size_t i = 0; i < widths.size(); ++i) {
    // Garbage above the field width must not leak into the neighbouring fields.
    const std::uint64_t garbage = widths[i] == 64 ? 0 : ~0ULL << widths[i];
    out.write(values[i] | garbage, widths[i]);
  }
  EXPECT_EQ(out.position(), total);
  BitReader in(words);
  for (std::size_t i = 0; i < widths.size(); ++i) ASSERT_EQ(in.read(widths[i]), values[i]) << i;
}

TEST(BitStream, WriteMasksHighBitsAndFloatsRoundTrip) {
  std::vector<std::uint64_t> words(3);
  BitWriter out(words);
  out.write(0xFFu, 3);  // only the low three bits are kept
  out.write_float32(-1.5f);
  out.write_float64(3.25);
  EXPECT_EQ(words[0] & 0x7u, 0x7u);
  BitReader in(words);
  EXPECT_EQ(in.read(3), 0x7u);
  EXPECT_EQ(in.read_float32(), -1.5f);
  EXPECT_EQ(in.read_float64(), 3.25);
}

TEST(BitStream, LayoutIsLeastSignificantFirstLikePackedSigns) {
  std::vector<std::uint64_t> words(2);
  BitWriter out(words);
  for (int i = 0; i < 70; ++i) out.write(i % 3 == 0 ? 1u : 0u, 1);
  for (int i = 0; i < 70; ++i)
    EXPECT_EQ((words[static_cast<std::size_t>(i / 64)] >> (i % 64)) & 1u, i % 3 == 0 ? 1u : 0u);
}

TEST(BitStream, OverflowAndUnderflowAreErrors) {
  std::vector<std::uint64_t> words(1);
  BitWriter out(words);
  out.write(1, 60);
  EXPECT_THROW(out.write(1, 5), Error);
  BitReader in(words);
  in.read(64);
  EXPECT_THROW(in.read(1), Error);
}

}  // namespace
}  // namespace signopt
