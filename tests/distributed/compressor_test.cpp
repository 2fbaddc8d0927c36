// Tests of the compressor factory and of properties every compressor shares.
#include "signopt/distributed/compressor.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "signopt/core/error.hpp"

namespace signopt {
namespace {

Vector random_vector(Index d, std::uint64_t seed) {
  Rng rng(seed);
  Vector v(d);
  for (Index i = 0; i < d; ++i) v[i] = rng.normal() * (1.0 + static_cast<double>(i % 7));
  return v;
}

std::vector<CompressorSpec> all_specs() {
  std::vector<CompressorSpec> specs;
  for (auto kind : {CompressorKind::Identity, CompressorKind::Sign, CompressorKind::ScaledSign,
                    CompressorKind::TopK, CompressorKind::RandK, CompressorKind::Qsgd}) {
    for (auto format : {FloatFormat::Float32, FloatFormat::Float64}) {
      CompressorSpec s;
      s.kind = kind;
      s.values = format;
      s.k = 9;
      s.levels = 5;
      specs.push_back(s);
    }
  }
  return specs;
}

TEST(Compressor, NamesRoundTrip) {
  for (auto kind : {CompressorKind::Identity, CompressorKind::Sign, CompressorKind::ScaledSign,
                    CompressorKind::TopK, CompressorKind::RandK, CompressorKind::Qsgd})
    EXPECT_EQ(compressor_kind_from_string(to_string(kind)), kind);
  EXPECT_EQ(float_format_from_string("fp32"), FloatFormat::Float32);
  EXPECT_EQ(float_format_from_string("fp64"), FloatFormat::Float64);
  try {
    compressor_kind_from_string("topk");
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("top-k"), std::string::npos) << e.what();
  }
  EXPECT_THROW(float_format_from_string("fp16"), Error);
}

TEST(Compressor, BadParametersAreErrors) {
  CompressorSpec s;
  s.kind = CompressorKind::TopK;
  s.k = 11;
  EXPECT_THROW(make_compressor(s, 10), Error);  // k > d
  s.k = 0;
  s.k_fraction = 0.0;
  EXPECT_THROW(make_compressor(s, 10), Error);
  s.k_fraction = 0.25;
  EXPECT_EQ(make_compressor(s, 10)->message_bits(), 3u * (4 + 64));  // k = round(2.5) = 3
  s.kind = CompressorKind::Qsgd;
  s.levels = 0;
  EXPECT_THROW(make_compressor(s, 10), Error);
  s.kind = CompressorKind::Sign;
  EXPECT_THROW(make_compressor(s, 0), Error);
}

TEST(Compressor, KFractionRule) {
  CompressorSpec s;
  s.k = 0;
  s.k_fraction = 0.01;
  EXPECT_EQ(s.resolved_k(112), 1);  // round(1.12)
  EXPECT_EQ(s.resolved_k(10), 1);   // never below 1
  EXPECT_EQ(s.resolved_k(1000), 10);
  s.k = 4;
  EXPECT_EQ(s.resolved_k(1000), 4);  // an explicit k wins
}

TEST(Compressor, EveryCompressorDecodesToTheRightDimensionAndDecodeAddAgrees) {
  for (const auto& spec : all_specs()) {
    for (Index d : {1, 63, 100}) {
      CompressorSpec s = spec;
      s.k = std::min<Index>(s.k, d);
      auto c = make_compressor(s, d);
      const Vector v = random_vector(d, 9);
      Rng rng(1);
      std::vector<std::uint64_t> message(static_cast<std::size_t>(c->message_words()));
      c->encode(v, rng, message);
      Vector decoded;
      c->decode(message, decoded);
      ASSERT_EQ(decoded.size(), d) << c->describe();
      Vector acc = Vector::Constant(d, 1.0);
      c->decode_add(message, -2.0, acc);
      for (Index i = 0; i < d; ++i)
        EXPECT_DOUBLE_EQ(acc[i], 1.0 - 2.0 * decoded[i]) << c->describe();
      // Honest size: the counted bits fit the words, with less than a word per aligned group.
      EXPECT_LE(c->message_bits(), 64u * static_cast<std::uint64_t>(c->message_words()));
      EXPECT_GT(c->message_bits() + 128, 64u * static_cast<std::uint64_t>(c->message_words()))
          << c->describe();
    }
  }
}

TEST(Compressor, WrongSizesAreErrors) {
  for (const auto& spec : all_specs()) {
    auto c = make_compressor(spec, 20);
    Rng rng(1);
    std::vector<std::uint64_t> message(static_cast<std::size_t>(c->message_words()));
    EXPECT_THROW(c->encode(Vector::Zero(21), rng, message), Error) << c->describe();
    std::vector<std::uint64_t> short_message(message.size() - 1);
    EXPECT_THROW(c->encode(Vector::Zero(20), rng, short_message), Error) << c->describe();
    Vector out;
    EXPECT_THROW(c->decode(short_message, out), Error) << c->describe();
  }
}

}  // namespace
}  // namespace signopt
