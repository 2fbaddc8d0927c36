// The transforms one by one, and how chains fuse them.
#include "signopt/optim/transforms.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "optim/optim_test_support.hpp"
#include "signopt/optim/chain.hpp"
#include "signopt/optim/method_registry.hpp"
#include "signopt/optim/recipes.hpp"

namespace signopt::optim {
namespace {

TEST(Transforms, SignOfZeroIsZero) {
  EXPECT_EQ(sign(0.0), 0.0);
  EXPECT_EQ(sign(-0.0), 0.0);
  EXPECT_EQ(sign(3.5), 1.0);
  EXPECT_EQ(sign(-1e-300), -1.0);
  EXPECT_EQ(sign(std::numeric_limits<double>::denorm_min()), 1.0);
  EXPECT_EQ(sign(-std::numeric_limits<double>::infinity()), -1.0);
  EXPECT_EQ(sign(std::numeric_limits<double>::quiet_NaN()), 0.0);
  Sign s;
  EXPECT_EQ(s.map(0, 0.0, 1.0), 0.0);
}

TEST(Transforms, EmaAndTraceFromZero) {
  Ema ema(0.75);
  ema.reset(1);
  EXPECT_DOUBLE_EQ(ema.map(0, 4.0, 0.0), 1.0);   // 0.25·4
  EXPECT_DOUBLE_EQ(ema.map(0, 4.0, 0.0), 1.75);  // 0.75·1 + 1
  Trace trace(0.5);
  trace.reset(1);
  EXPECT_DOUBLE_EQ(trace.map(0, 4.0, 0.0), 4.0);
  EXPECT_DOUBLE_EQ(trace.map(0, 4.0, 0.0), 6.0);
}

TEST(Transforms, ClipFactorAtAndAroundTheThreshold) {
  ClipByL2Norm clip(2.0);
  clip.reset(2);
  clip.finish(2.0, 2);
  EXPECT_EQ(clip.last_factor(), 1.0);  // exactly at λ: untouched
  clip.finish(std::nextafter(2.0, 3.0), 2);
  EXPECT_LT(clip.last_factor(), 1.0);
  clip.finish(8.0, 2);
  EXPECT_EQ(clip.last_factor(), 0.25);
  clip.finish(0.0, 2);
  EXPECT_EQ(clip.last_factor(), 1.0);
}

TEST(Transforms, ErrorFeedbackResidualIsPMinusDelta) {
  // Drive EF-SignSGD with random gradients; after every step e = p − Δ where p = γ g + e_prev
  // and Δ = (‖p‖₁/d) sign(p) is exactly how far x moved.
  auto opt = make_optimizer("ef-signsgd", {{"lr", 0.3}});
  auto& composed = dynamic_cast<ComposedOptimizer<recipes::ErrorFeedbackSignSgd::ChainType>&>(*opt);
  const Index d = 7;
  Vector x = Vector::Zero(d);
  opt->reset(x);
  Rng rng(3);
  Vector e_prev = Vector::Zero(d);
  for (Index k = 1; k <= 20; ++k) {
    Vector g(d);
    for (Index i = 0; i < d; ++i) g[i] = (i == 2) ? 0.0 : rng.normal();
    const Vector x_prev = x;
    opt->update(k, g, x);
    const Vector p = 0.3 * g + e_prev;
    Vector delta(d);
    for (Index i = 0; i < d; ++i) delta[i] = p.lpNorm<1>() / static_cast<double>(d) * sign(p[i]);
    const Vector& e = composed.chain().get<1>().residual();
    for (Index i = 0; i < d; ++i) {
      EXPECT_NEAR(x_prev[i] - x[i], delta[i], 1e-13);
      EXPECT_NEAR(e[i], p[i] - delta[i], 1e-13);
    }
    // The memory keeps the total displacement honest: x¹ − x^{k+1} + e = γ Σ g.
    e_prev = e;
  }
}

TEST(Transforms, ErrorFeedbackConservesTheTotalStep) {
  // Σ Δ + e = γ Σ g exactly in exact arithmetic: nothing the compressor drops is lost.
  auto opt = make_optimizer("ef-signsgd", {{"lr", 0.1}});
  auto& composed = dynamic_cast<ComposedOptimizer<recipes::ErrorFeedbackSignSgd::ChainType>&>(*opt);
  Vector x = Vector::Zero(5), sum = Vector::Zero(5);
  opt->reset(x);
  Rng rng(8);
  for (Index k = 1; k <= 50; ++k) {
    Vector g(5);
    for (Index i = 0; i < 5; ++i) g[i] = rng.normal() * static_cast<double>(i + 1);
    sum += 0.1 * g;
    opt->update(k, g, x);
  }
  const Vector& e = composed.chain().get<1>().residual();
  EXPECT_LT(((-x + e) - sum).lpNorm<Eigen::Infinity>(), 1e-12);
}

TEST(Chain, SinglePassUnlessAReducingTransformIsPresent) {
  static_assert(Chain<Ema, Sign, ScaleBySchedule>::single_pass);
  static_assert(Chain<AdamDirection, AddDecayedWeights, ScaleBySchedule>::single_pass);
  static_assert(!Chain<ScaleBySchedule, ErrorFeedbackScaledSign>::single_pass);
  static_assert(Chain<Ema, ClipByL2Norm, ScaleBySchedule>::barrier == 1);
  static_assert(ReducingTransform<NormalizeByL2> && !ElementwiseTransform<NormalizeByL2>);
  static_assert(ElementwiseTransform<LionDirection>);
}

TEST(Chain, FusedChainEqualsApplyingTransformsOneByOne) {
  // Signum through the chain vs the same transforms applied as whole-vector passes.
  StepSizeSchedule s;
  s.gamma = 0.05;
  Chain<Ema, Sign, ScaleBySchedule> chain(Ema(0.8), Sign(), ScaleBySchedule(s));
  const Index d = 9;
  chain.reset(d);
  Vector x = Vector::LinSpaced(d, -1, 1), y = x, m = Vector::Zero(d);
  Rng rng(4);
  for (Index k = 1; k <= 10; ++k) {
    Vector g(d);
    for (Index i = 0; i < d; ++i) g[i] = rng.normal();
    chain.apply(k, g.data(), x.data(), d);
    m = 0.8 * m + 0.2 * g;
    for (Index i = 0; i < d; ++i) y[i] -= 0.05 * sign(m[i]);
  }
  EXPECT_TRUE(signopt::testing::bit_identical(x, y));
  EXPECT_TRUE(chain.finite());
}

TEST(Chain, ReductionHandlesLengthsThatAreNotMultiplesOfFour) {
  for (Index d : {1, 2, 3, 4, 5, 13}) {
    StepSizeSchedule s;
    s.gamma = 1.0;
    Chain<NormalizeByL2, ScaleBySchedule> chain{NormalizeByL2{}, ScaleBySchedule(s)};
    chain.reset(d);
    Vector g = Vector::LinSpaced(d, 1, static_cast<double>(d)), x = Vector::Zero(d);
    chain.apply(1, g.data(), x.data(), d);
    EXPECT_NEAR(x.norm(), 1.0, 1e-14) << "d = " << d;
    EXPECT_TRUE(((-x - g / g.norm()).array().abs() < 1e-15).all());
  }
}

TEST(Optimizer, ResetForUpdatesSizesTheStateWithoutTheOracleBuffer) {
  auto opt = make_optimizer("m-signsgd");
  auto* composed = dynamic_cast<ComposedOptimizer<recipes::MomentumSignSgd::ChainType>*>(opt.get());
  ASSERT_NE(composed, nullptr);
  composed->reset_for_updates(4);
  EXPECT_EQ(opt->dim(), 4);
  EXPECT_EQ(opt->last_gradient().size(), 0);
  EXPECT_EQ(composed->chain().get<0>().state().size(), 4);
  Vector x = Vector::Zero(4), g = Vector::Ones(4);
  opt->update(1, g, x);
  EXPECT_TRUE((x.array() == -0.01).all());
  const auto quadratic = signopt::testing::standard_quadratic(4);
  auto oracle = signopt::testing::noisy_oracle(quadratic, 0.0, 1);
  EXPECT_THROW(opt->step(2, x, oracle), Error);  // step() needs reset()'s buffer
  opt->reset(x);
  EXPECT_NO_THROW(opt->step(1, x, oracle));
  EXPECT_THROW(composed->reset_for_updates(0), Error);
}

TEST(Optimizer, RejectsMismatchedSizesAndStepZero) {
  auto opt = make_optimizer("signsgd");
  Vector x = Vector::Zero(3), g = Vector::Ones(3), g4 = Vector::Ones(4);
  EXPECT_THROW(opt->update(1, g, x), Error);  // not reset yet
  opt->reset(x);
  EXPECT_THROW(opt->update(1, g4, x), Error);
  EXPECT_THROW(opt->update(0, g, x), Error);
  EXPECT_NO_THROW(opt->update(1, g, x));
  EXPECT_EQ(opt->dim(), 3);
  EXPECT_THROW(opt->reset(Vector()), Error);
}

}  // namespace
}  // namespace signopt::optim
