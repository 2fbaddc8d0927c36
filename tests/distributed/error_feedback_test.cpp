#include "signopt/distributed/error_feedback.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "signopt/core/error.hpp"
#include "signopt/distributed/scaled_sign_compressor.hpp"
#include "signopt/distributed/top_k_compressor.hpp"

namespace signopt {
namespace {

TEST(ErrorFeedback, NamesRoundTrip) {
  EXPECT_EQ(error_feedback_from_string("none"), ErrorFeedbackKind::None);
  EXPECT_EQ(error_feedback_from_string("residual"), ErrorFeedbackKind::Residual);
  EXPECT_THROW(error_feedback_from_string("ef"), Error);
}

TEST(ErrorFeedback, NoneSendsTheVectorAndKeepsNothing) {
  ErrorFeedbackMemory m(ErrorFeedbackKind::None, 3);
  Vector v(3), p;
  v << 1, 2, 3;
  m.correct(v, p);
  EXPECT_TRUE(p == v);
  m.update(p, Vector::Zero(3));
  EXPECT_EQ(m.residual().size(), 0);
}

TEST(ErrorFeedback, ResidualIdentityHandComputed) {
  // p = v + e, e ← p − C(p) with top-1 on (1, −3, 2) then on (0.5, 0.5, 0.5) + e.
  ErrorFeedbackMemory m(ErrorFeedbackKind::Residual, 3);
  TopKCompressor top1(3, 1, FloatFormat::Float64);
  Rng rng(0);
  std::vector<std::uint64_t> msg(static_cast<std::size_t>(top1.message_words()));
  Vector v(3), p, c;
  v << 1, -3, 2;
  m.correct(v, p);
  top1.encode(p, rng, msg);
  top1.decode(msg, c);
  m.update(p, c);
  EXPECT_EQ(m.residual(), Vector((Vector(3) << 1, 0, 2).finished()));
  v << 0.5, 0.5, 0.5;
  m.correct(v, p);
  EXPECT_EQ(p, Vector((Vector(3) << 1.5, 0.5, 2.5).finished()));
  top1.encode(p, rng, msg);
  top1.decode(msg, c);
  m.update(p, c);
  EXPECT_EQ(m.residual(), Vector((Vector(3) << 1.5, 0.5, 0).finished()));
}

TEST(ErrorFeedback, NothingIsLostOverManySteps) {
  // Σ_t v_t = Σ_t C(p_t) + e_T: what was sent plus what is remembered is all that came in.
  const Index d = 50;
  ErrorFeedbackMemory m(ErrorFeedbackKind::Residual, d);
  ScaledSignCompressor c(d, FloatFormat::Float64);
  Rng rng(12);
  std::vector<std::uint64_t> msg(static_cast<std::size_t>(c.message_words()));
  Vector in_total = Vector::Zero(d), sent_total = Vector::Zero(d), v(d), p, decoded;
  for (int t = 0; t < 200; ++t) {
    for (Index i = 0; i < d; ++i) v[i] = rng.normal();
    in_total += v;
    m.correct(v, p);
    c.encode(p, rng, msg);
    c.decode(msg, decoded);
    m.update(p, decoded);
    EXPECT_TRUE(m.residual() == p - decoded);
    sent_total += decoded;
  }
  EXPECT_LT((sent_total + m.residual() - in_total).norm(), 1e-9);
}

TEST(ErrorFeedback, SizeMismatchIsAnError) {
  ErrorFeedbackMemory m(ErrorFeedbackKind::Residual, 3);
  Vector p;
  EXPECT_THROW(m.correct(Vector::Zero(4), p), Error);
  EXPECT_THROW(ErrorFeedbackMemory(ErrorFeedbackKind::Residual, 0), Error);
}

}  // namespace
}  // namespace signopt
