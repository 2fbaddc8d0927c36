// Each recipe against a step computed by hand (two steps where the recipe has state), and the
// identities between recipes: M-SignSGD with β = 0 is SignSGD, minibatch-SignSGD with B = 1 is
// SignSGD.
#include <gtest/gtest.h>

#include <cmath>

#include "optim/optim_test_support.hpp"
#include "signopt/optim/method_registry.hpp"
#include "signopt/optim/recipes.hpp"

namespace signopt::optim {
namespace {

using signopt::testing::bit_identical;
using signopt::testing::noisy_oracle;
using signopt::testing::standard_quadratic;

Vector vec(std::initializer_list<double> v) {
  Vector out(static_cast<Index>(v.size()));
  Index i = 0;
  for (double x : v) out[i++] = x;
  return out;
}

// x¹, g¹ (with a zero coordinate), g².
const Vector kX0 = vec({1.0, -2.0, 0.5});
const Vector kG1 = vec({0.5, 0.0, -2.0});
const Vector kG2 = vec({-1.0, 3.0, 0.25});

// Runs the given gradients through a fresh optimizer from x¹ and returns x after each step.
std::vector<Vector> run(const std::string& name, const Params& params,
                        const std::vector<Vector>& grads, const Vector& x0 = kX0) {
  auto opt = make_optimizer(name, params);
  Vector x = x0;
  opt->reset(x);
  std::vector<Vector> out;
  for (std::size_t k = 0; k < grads.size(); ++k) {
    opt->update(static_cast<Index>(k + 1), grads[k], x);
    out.push_back(x);
  }
  return out;
}

void expect_near(const Vector& actual, const Vector& expected, double tol = 1e-14) {
  ASSERT_EQ(actual.size(), expected.size());
  for (Index i = 0; i < actual.size(); ++i) {
    EXPECT_NEAR(actual[i], expected[i], tol) << "coordinate " << i;
  }
}

TEST(RecipesExact, Sgd) {
  const auto xs = run("sgd", {{"lr", 0.1}}, {kG1});
  expect_near(xs[0], vec({0.95, -2.0, 0.7}));
}

TEST(RecipesExact, MomentumSgdIsEmaForm) {
  const auto xs = run("m-sgd", {{"lr", 0.1}, {"beta", 0.5}}, {kG1, kG2});
  // m¹ = 0.5 g¹ = (0.25, 0, −1); m² = 0.5 m¹ + 0.5 g² = (−0.375, 1.5, −0.375).
  expect_near(xs[0], vec({0.975, -2.0, 0.6}));
  expect_near(xs[1], vec({1.0125, -2.15, 0.6375}));
}

TEST(RecipesExact, HeavyBall) {
  const auto xs = run("heavy-ball", {{"lr", 0.1}, {"beta", 0.5}}, {kG1, kG2});
  // m¹ = g¹; m² = 0.5 g¹ + g² = (−0.75, 3, −0.75).
  expect_near(xs[0], vec({0.95, -2.0, 0.7}));
  expect_near(xs[1], vec({1.025, -2.3, 0.775}));
  // Polyak's form: x³ = x² − γ g² + β (x² − x¹).
  expect_near(xs[1], xs[0] - 0.1 * kG2 + 0.5 * (xs[0] - kX0));
}

TEST(RecipesExact, SignSgdLeavesZeroCoordinatesInPlace) {
  const auto xs = run("signsgd", {{"lr", 0.1}}, {kG1});
  // sign(g¹) = (1, 0, −1): sign(0) = 0.
  expect_near(xs[0], vec({0.9, -2.0, 0.6}));
  EXPECT_EQ(xs[0][1], -2.0);
}

TEST(RecipesExact, MomentumSignSgd) {
  const auto xs = run("m-signsgd", {{"lr", 0.1}, {"beta", 0.5}}, {kG1, kG2});
  // sign(m¹) = (1, 0, −1); sign(m²) = sign(−0.375, 1.5, −0.375) = (−1, 1, −1).
  expect_near(xs[0], vec({0.9, -2.0, 0.6}));
  expect_near(xs[1], vec({1.0, -2.1, 0.7}));
}

TEST(RecipesExact, ErrorFeedbackSignSgd) {
  const auto xs = run("ef-signsgd", {{"lr", 0.1}}, {kG1, kG2});
  // p¹ = 0.1 g¹ = (0.05, 0, −0.2), ‖p¹‖₁/d = 0.25/3, Δ¹ = (1/12)(1, 0, −1).
  const Vector delta1 = vec({1.0 / 12.0, 0.0, -1.0 / 12.0});
  const Vector e1 = vec({0.05, 0.0, -0.2}) - delta1;
  expect_near(xs[0], kX0 - delta1);
  // p² = 0.1 g² + e¹ = (−0.05 − 1/12, 0.3, 0.025 − 0.2 + 1/12), ‖p²‖₁ = 0.525, scale 0.175.
  const Vector p2 = 0.1 * kG2 + e1;
  EXPECT_NEAR(p2.lpNorm<1>(), 0.525, 1e-15);
  expect_near(xs[1], kX0 - delta1 - vec({-0.175, 0.175, -0.175}));
}

TEST(RecipesExact, NormalizedSgd) {
  const auto xs = run("nsgd", {{"lr", 0.1}}, {kG1, Vector::Zero(3)});
  expect_near(xs[0], kX0 - 0.1 * kG1 / std::sqrt(4.25));
  // m = 0: no step (the normalisation of 0 is 0, not NaN).
  EXPECT_TRUE(bit_identical(xs[1], xs[0]));
}

TEST(RecipesExact, MomentumNormalizedSgd) {
  const auto xs = run("m-nsgd", {{"lr", 0.1}, {"beta", 0.5}}, {kG1, kG2});
  const Vector m1 = vec({0.25, 0.0, -1.0});
  const Vector m2 = vec({-0.375, 1.5, -0.375});
  expect_near(xs[0], kX0 - 0.1 * m1 / std::sqrt(1.0625));
  expect_near(xs[1], xs[0] - 0.1 * m2 / m2.norm());
}

TEST(RecipesExact, ClipSgdClipsAboveTheThresholdOnly) {
  // ‖g¹‖₂ = √4.25 > 1: scaled to norm 1. g = (0.6, 0.8, 0) has norm 1: unchanged.
  const Vector at_threshold = vec({0.6, 0.8, 0.0});
  const auto xs = run("clip-sgd", {{"lr", 0.1}, {"clip", 1.0}}, {kG1, at_threshold});
  expect_near(xs[0], kX0 - 0.1 * kG1 / std::sqrt(4.25));
  expect_near(xs[1], xs[0] - 0.1 * at_threshold);
}

TEST(RecipesExact, ClipExactlyAtTheThresholdIsTheIdentity) {
  // ‖(3, 4, 0)‖₂ = 5 exactly: clip_5 leaves it bit for bit; clip_2.5 halves it.
  const Vector g = vec({3.0, 4.0, 0.0});
  const auto clipped = run("clip-sgd", {{"lr", 0.25}, {"clip", 5.0}}, {g});
  const auto plain = run("sgd", {{"lr", 0.25}}, {g});
  EXPECT_TRUE(bit_identical(clipped[0], plain[0]));
  const auto halved = run("clip-sgd", {{"lr", 0.25}, {"clip", 2.5}}, {g});
  expect_near(halved[0], kX0 - 0.25 * vec({1.5, 2.0, 0.0}));
}

TEST(RecipesExact, MomentumClipSgd) {
  const auto xs = run("m-clip-sgd", {{"lr", 0.1}, {"beta", 0.5}, {"clip", 0.5}}, {kG1});
  const Vector m1 = vec({0.25, 0.0, -1.0});
  expect_near(xs[0], kX0 - 0.1 * (0.5 / std::sqrt(1.0625)) * m1);
}

// Adam by the paper's formulas, coordinate by coordinate.
Vector adam_by_hand(const std::vector<Vector>& grads, double lr, double b1, double b2, double eps,
                    double wd) {
  Vector x = kX0, m = Vector::Zero(3), v = Vector::Zero(3);
  for (std::size_t k = 1; k <= grads.size(); ++k) {
    const Vector& g = grads[k - 1];
    for (Index i = 0; i < 3; ++i) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      const double mhat = m[i] / (1 - std::pow(b1, static_cast<double>(k)));
      const double vhat = v[i] / (1 - std::pow(b2, static_cast<double>(k)));
      x[i] -= lr * (mhat / (std::sqrt(vhat) + eps) + wd * x[i]);
    }
  }
  return x;
}

TEST(RecipesExact, AdamTwoSteps) {
  const auto xs = run("adam", {{"lr", 0.1}}, {kG1, kG2});
  // Step 1: m̂ = g, v̂ = g², so the step is lr·g/(|g| + ε): ±0.1 (up to ε) and 0 where g = 0.
  EXPECT_NEAR(xs[0][0], 0.9, 1e-8);
  EXPECT_EQ(xs[0][1], -2.0);
  EXPECT_NEAR(xs[0][2], 0.6, 1e-8);
  expect_near(xs[1], adam_by_hand({kG1, kG2}, 0.1, 0.9, 0.999, 1e-8, 0.0));
  // Step 2, coordinate 2 by hand: m = 0.1·3 = 0.3, v = 0.001·9; m̂ = 0.3/0.19, v̂ = 0.009/0.001999.
  EXPECT_NEAR(xs[1][1], -2.0 - 0.1 * (0.3 / 0.19) / (std::sqrt(0.009 / 0.001999) + 1e-8), 1e-14);
}

TEST(RecipesExact, AdamWDecaysWeightsDecoupled) {
  const Params p{{"lr", 0.1}, {"beta1", 0.8}, {"beta2", 0.99}, {"eps", 1e-6},
                 {"weight-decay", 0.5}};
  const auto xs = run("adamw", p, {kG1, kG2});
  expect_near(xs[1], adam_by_hand({kG1, kG2}, 0.1, 0.8, 0.99, 1e-6, 0.5));
  // Step 1, coordinate 1 (g = 0): only the decay moves it: x ← x − 0.1·0.5·x.
  EXPECT_NEAR(xs[0][1], -2.0 * (1 - 0.05), 1e-15);
}

TEST(RecipesExact, LionTwoSteps) {
  const auto xs = run("lion", {{"lr", 0.1}, {"beta1", 0.9}, {"beta2", 0.99}}, {kG1, kG2});
  // Step 1: c = 0.1 g¹ → sign (1, 0, −1); m¹ = 0.01 g¹.
  expect_near(xs[0], vec({0.9, -2.0, 0.6}));
  // Step 2: c = 0.9 m¹ + 0.1 g² = (−0.0955, 0.3, 0.007) → (−1, 1, 1). The third coordinate shows
  // the interpolation: the momentum m² = 0.99 m¹ + 0.01 g² has the opposite sign there.
  expect_near(xs[1], vec({1.0, -2.1, 0.5}));
  const auto decayed = run("lion", {{"lr", 0.1}, {"weight-decay", 0.5}}, {kG1});
  expect_near(decayed[0], kX0 - 0.1 * (vec({1.0, 0.0, -1.0}) + 0.5 * kX0));
}

TEST(RecipesExact, StepSizeSchedules) {
  const Vector g = vec({1.0, -1.0, 2.0});
  auto opt = make_optimizer("sgd", {{"lr", 0.2}, {"schedule", "inv-sqrt"}});
  Vector x = kX0;
  opt->reset(x);
  opt->update(4, g, x);  // γ₄ = 0.2/√4 = 0.1
  expect_near(x, kX0 - 0.1 * g);
  auto decay = make_optimizer(
      "signsgd", {{"lr", 0.8}, {"schedule", "step"}, {"decay-rate", 0.5}, {"decay-every", 10}});
  EXPECT_DOUBLE_EQ(decay->step_size(1), 0.8);
  EXPECT_DOUBLE_EQ(decay->step_size(10), 0.8);
  EXPECT_DOUBLE_EQ(decay->step_size(11), 0.4);
  EXPECT_DOUBLE_EQ(decay->step_size(25), 0.2);
  Vector y = kX0;
  decay->reset(y);
  decay->update(21, g, y);
  expect_near(y, kX0 - 0.2 * vec({1.0, -1.0, 1.0}));
}

TEST(RecipesExact, MomentumSignSgdWithBetaZeroIsSignSgd) {
  Rng rng(5);
  std::vector<Vector> grads;
  for (int k = 0; k < 50; ++k) {
    Vector g(3);
    for (Index i = 0; i < 3; ++i) g[i] = rng.normal() * (k % 5 == 0 && i == 1 ? 0.0 : 1.0);
    grads.push_back(g);
  }
  const auto a = run("m-signsgd", {{"lr", 0.03}, {"beta", 0.0}, {"schedule", "inv-sqrt"}}, grads);
  const auto b = run("signsgd", {{"lr", 0.03}, {"schedule", "inv-sqrt"}}, grads);
  for (std::size_t k = 0; k < grads.size(); ++k) EXPECT_TRUE(bit_identical(a[k], b[k]));
}

TEST(RecipesExact, MinibatchSignSgdWithBatchOneIsSignSgd) {
  const auto problem = standard_quadratic(4);
  auto oracle_a = noisy_oracle(problem, 2.0, 11);
  auto oracle_b = noisy_oracle(problem, 2.0, 11);
  auto a = make_optimizer("minibatch-signsgd", {{"lr", 0.05}, {"batch", 1}});
  auto b = make_optimizer("signsgd", {{"lr", 0.05}});
  Vector xa = Vector::Zero(4), xb = Vector::Zero(4);
  a->reset(xa);
  b->reset(xb);
  for (Index k = 1; k <= 100; ++k) {
    a->step(k, xa, oracle_a);
    b->step(k, xb, oracle_b);
    ASSERT_TRUE(bit_identical(xa, xb)) << "step " << k;
  }
  EXPECT_EQ(oracle_a.draws(), 100);
}

TEST(RecipesExact, MinibatchSignSgdAsksForItsBatchSchedule) {
  const auto problem = standard_quadratic(3);
  auto oracle = noisy_oracle(problem, 1.0, 2);
  auto opt = make_optimizer("minibatch-signsgd",
                            {{"batch", 3}, {"batch-schedule", "linear"}, {"batch-max", 10}});
  Vector x = Vector::Zero(3);
  opt->reset(x);
  for (Index k = 1; k <= 5; ++k) opt->step(k, x, oracle);
  // B_k = min(10, 3k): 3 + 6 + 9 + 10 + 10.
  EXPECT_EQ(oracle.draws(), 38);
  auto geometric = make_optimizer("minibatch-signsgd",
                                  {{"batch", 2}, {"batch-schedule", "geometric"},
                                   {"batch-ratio", 2.0}, {"batch-max", 100}});
  EXPECT_EQ(geometric->batch_size(1), 2);
  EXPECT_EQ(geometric->batch_size(4), 16);
  EXPECT_EQ(geometric->batch_size(10), 100);
  // The minibatch of B draws averages the noise: P(wrong sign) ≈ 0.40 for B = 1 (σ = 2) and
  // ≈ 0.02 for B = 64 (σ/8).
  auto wrong_signs = [&](Index batch) {
    auto o = noisy_oracle(problem, 2.0, 9);
    Vector g, at = Vector::Zero(3);
    int wrong = 0;
    for (int r = 0; r < 400; ++r) {
      o.estimate(at, batch, g);
      wrong += g[0] >= 0;  // ∇f(0)_0 = −a_0 b_0 = −0.5
    }
    return wrong;
  };
  EXPECT_LT(wrong_signs(64), wrong_signs(1) / 4);
}

}  // namespace
}  // namespace signopt::optim
