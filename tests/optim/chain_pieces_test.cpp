// Chain::apply on an iterate held in pieces (a model's parameter tensors): bit-identical to the
// one-vector apply on their concatenation, pieces left out keep x and state, float pieces are the
// double computation rounded once per step.
#include <gtest/gtest.h>

#include <span>
#include <vector>

#include "optim/optim_test_support.hpp"
#include "signopt/core/rng.hpp"
#include "signopt/optim/chain.hpp"
#include "signopt/optim/transforms.hpp"

namespace signopt::optim {
namespace {

using signopt::testing::bit_identical;

StepSizeSchedule gamma(double value) {
  StepSizeSchedule s;
  s.gamma = value;
  return s;
}

// Recipes of each shape: one pass (Signum), one pass reading x (AdamW), an L1 reduction with
// state (EF-SignSGD), an L2 reduction after a stateful transform (clipped SGD with momentum).
auto signum() {
  return Chain<Ema, Sign, ScaleBySchedule>(Ema(0.8), Sign(), ScaleBySchedule(gamma(0.05)));
}
auto adamw() {
  return Chain<AdamDirection, AddDecayedWeights, ScaleBySchedule>(
      AdamDirection(0.9, 0.99, 1e-8), AddDecayedWeights(0.1), ScaleBySchedule(gamma(0.01)));
}
auto ef_signsgd() {
  return Chain<ScaleBySchedule, ErrorFeedbackScaledSign>(ScaleBySchedule(gamma(0.1)),
                                                         ErrorFeedbackScaledSign());
}
auto m_clip() {
  return Chain<Ema, ClipByL2Norm, ScaleBySchedule>(Ema(0.5), ClipByL2Norm(0.3),
                                                   ScaleBySchedule(gamma(0.2)));
}

Vector normal(Index d, Rng& rng, double scale = 1.0) {
  Vector v(d);
  for (Index i = 0; i < d; ++i) v[i] = scale * rng.normal();
  return v;
}

// Pieces of sizes `sizes` over x and g (consecutive, starting at 0).
std::vector<Segment<double>> split(const Vector& g, Vector& x, const std::vector<Index>& sizes) {
  std::vector<Segment<double>> pieces;
  Index offset = 0;
  for (Index size : sizes) {
    pieces.push_back({g.data() + offset, x.data() + offset, offset, size});
    offset += size;
  }
  return pieces;
}

template <typename MakeChain>
void expect_pieces_equal_one_vector(MakeChain make) {
  // 23 = 5 + 0 + 7 + 11: the last 3 coordinates are the reduction's remainder, inside a piece,
  // and no piece boundary falls on a multiple of 4.
  const std::vector<Index> sizes{5, 0, 7, 11};
  const Index d = 23;
  auto whole = make(), parts = make();
  whole.reset(d);
  parts.reset(d);
  Rng rng(11);
  Vector x = normal(d, rng), y = x;
  for (Index k = 1; k <= 6; ++k) {
    const Vector g = normal(d, rng);
    whole.apply(k, g.data(), x.data(), d);
    const auto pieces = split(g, y, sizes);
    parts.apply(k, std::span<const Segment<double>>(pieces));
    ASSERT_TRUE(bit_identical(x, y)) << "step " << k;
  }
}

TEST(ChainPieces, PiecesAreBitIdenticalToOneVector) {
  expect_pieces_equal_one_vector(signum);
  expect_pieces_equal_one_vector(adamw);
  expect_pieces_equal_one_vector(ef_signsgd);
  expect_pieces_equal_one_vector(m_clip);
}

TEST(ChainPieces, TheComparisonSeesAnotherSummationOrder) {
  // The check above can fail: summing the L1 norm in plain index order instead of the four
  // interleaved sums changes the EF scale in the last bits for these inputs.
  Rng rng(3);
  const Index d = 23;
  const Vector p = normal(d, rng, 1e3).cwiseProduct(normal(d, rng));
  std::array<double, 4> partial{};
  for (Index i = 0; i < d; ++i)
    partial[static_cast<std::size_t>(i < 20 ? i % 4 : 0)] += std::abs(p[i]);
  const double interleaved = (partial[0] + partial[1]) + (partial[2] + partial[3]);
  double plain = 0.0;
  for (Index i = 0; i < d; ++i) plain += std::abs(p[i]);
  EXPECT_NE(interleaved, plain);
}

TEST(ChainPieces, MissingPiecesKeepTheirStateAndTheRestIsTheChainOnTheOthers) {
  // Pieces 0 and 2 of [6, 4, 9] have gradients, piece 1 never: x and state of piece 1 stay, and
  // pieces 0 and 2 follow the chain on their 15-coordinate concatenation (its norm, its d).
  auto parts = m_clip(), compact = m_clip();
  parts.reset(19);
  compact.reset(15);
  Rng rng(5);
  Vector x = normal(19, rng), z(15);
  z << x.head(6), x.tail(9);
  const Vector middle = x.segment(6, 4);
  for (Index k = 1; k <= 4; ++k) {
    const Vector g = normal(15, rng);
    compact.apply(k, g.data(), z.data(), 15);
    const std::vector<Segment<double>> pieces{{g.data(), x.data(), 0, 6},
                                              {g.data() + 6, x.data() + 10, 10, 9}};
    parts.apply(k, std::span<const Segment<double>>(pieces));
  }
  Vector present(15);
  present << x.head(6), x.tail(9);
  EXPECT_TRUE(bit_identical(present, z));
  EXPECT_TRUE(bit_identical(x.segment(6, 4), middle));
  const Vector& m = parts.get<0>().state();
  Vector m_present(15);
  m_present << m.head(6), m.tail(9);
  EXPECT_TRUE(bit_identical(m_present, compact.get<0>().state()));
  EXPECT_TRUE(m.segment(6, 4).isZero(0.0));
}

// Out of line on purpose: inlined into the fully unrolled loop over d = 13 below, GCC 12's SLP
// vectorizer at -O3 -march=native (AVX-512) left the values unrounded (observed here; not with
// -fno-tree-slp-vectorize), which made the reference itself wrong.
[[gnu::noinline]] double round_to_float(double v) {
  volatile float f = static_cast<float>(v);
  return f;
}

template <typename MakeChain>
void expect_float_is_rounded_double(MakeChain make) {
  const Index d = 13;
  auto single = make(), reference = make(), unrounded = make();
  single.reset(d);
  reference.reset(d);
  unrounded.reset(d);
  Rng rng(8);
  std::vector<float> xf(d);
  for (auto& v : xf) v = static_cast<float>(rng.normal());
  Vector xd(d);
  for (Index i = 0; i < d; ++i) xd[i] = xf[static_cast<std::size_t>(i)];
  Vector xu = xd;
  for (Index k = 1; k <= 5; ++k) {
    std::vector<float> gf(d);
    for (auto& v : gf) v = static_cast<float>(rng.normal());
    Vector gd(d);
    for (Index i = 0; i < d; ++i) gd[i] = gf[static_cast<std::size_t>(i)];
    const std::vector<Segment<float>> pieces{{gf.data(), xf.data(), 0, 6},
                                             {gf.data() + 6, xf.data() + 6, 6, d - 6}};
    single.apply(k, std::span<const Segment<float>>(pieces));
    reference.apply(k, gd.data(), xd.data(), d);
    for (Index i = 0; i < d; ++i) xd[i] = round_to_float(xd[i]);  // rounded once per step
    unrounded.apply(k, gd.data(), xu.data(), d);
  }
  Vector from_float(d);
  for (Index i = 0; i < d; ++i) from_float[i] = xf[static_cast<std::size_t>(i)];
  EXPECT_TRUE(bit_identical(from_float, xd));
  EXPECT_FALSE(bit_identical(from_float, xu));  // the rounding is real: the check could fail
}

TEST(ChainPieces, FloatPiecesAreTheDoubleStepRoundedOncePerStep) {
  expect_float_is_rounded_double(signum);
  expect_float_is_rounded_double(adamw);
  expect_float_is_rounded_double(ef_signsgd);
  expect_float_is_rounded_double(m_clip);
}

}  // namespace
}  // namespace signopt::optim
