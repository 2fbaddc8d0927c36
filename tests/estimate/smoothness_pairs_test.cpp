#include "signopt/estimate/smoothness_pairs.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "signopt/core/error.hpp"
#include "signopt/estimate/envelope_fit.hpp"
#include "signopt/optim/method_registry.hpp"
#include "signopt/problems/double_well.hpp"
#include "signopt/problems/quadratic.hpp"
#include "signopt/problems/quartic.hpp"

namespace signopt::estimate {
namespace {

TrajectoryPairs drive(const Problem& problem, const std::string& recipe, double lr, Index steps,
                      std::vector<double> alphas = {0.25, 0.5, 0.75}) {
  auto optimizer = optim::make_optimizer(recipe, {{"lr", lr}});
  GradientOracle oracle(problem, nullptr, Sampling::Full, StreamKey{1, 2, 0});
  Rng rng(0);
  TrajectoryOptions options;
  options.steps = steps;
  options.alphas = std::move(alphas);
  return trajectory_smoothness_pairs(problem, *optimizer, oracle, problem.initial_point(rng),
                                     options);
}

EnvelopeFit fit(const TrajectoryPairs& t, double q = 0.0) {
  std::vector<double> g, L;
  for (const auto& p : t.pairs) {
    g.push_back(p.grad_norm);
    L.push_back(p.smoothness);
  }
  EnvelopeOptions options;
  options.outlier_fraction = q;
  return fit_upper_envelope(g, L, options);
}

TEST(SmoothnessPairs, OneDimensionalQuadraticIsExact) {
  // f = ½ a x²: every difference quotient of ∇f = a x equals a.
  const Vector eig = Vector::Constant(1, 3.5);
  const Quadratic q = Quadratic::diagonal(eig, {}, Vector::Constant(1, 2.0));
  const TrajectoryPairs t = drive(q, "sgd", 0.1, 20);
  ASSERT_EQ(t.pairs.size(), 60u);
  EXPECT_EQ(t.steps_done, 20);
  EXPECT_FALSE(t.diverged);
  double x = 2.0;
  for (std::size_t i = 0; i < t.pairs.size(); ++i) {
    const SmoothnessPair& p = t.pairs[i];
    EXPECT_NEAR(p.smoothness, 3.5, 1e-12);
    EXPECT_EQ(p.step, static_cast<Index>(i / 3));
    EXPECT_NEAR(p.grad_norm, 3.5 * std::abs(x), 1e-12);
    EXPECT_NEAR(p.distance, (1.0 - p.alpha) * 0.1 * 3.5 * std::abs(x), 1e-12);
    if (i % 3 == 2) x -= 0.1 * 3.5 * x;  // GD step
  }
}

TEST(SmoothnessPairs, QuadraticGivesLargestEigenvalueAndNoL1) {
  // GD with γ = 0.19 ≈ 1.9/λ_max: the top eigen-direction decays slowest (factor 0.9) and
  // dominates the steps, so L̂ = ‖A d‖/‖d‖ → λ_max, and L̂ ≤ λ_max always.
  const Vector eig = Vector::LinSpaced(10, 1.0, 10.0);
  const Quadratic q = Quadratic::diagonal(eig, {}, Vector::Ones(10));
  const TrajectoryPairs t = drive(q, "sgd", 0.19, 150);
  for (const auto& p : t.pairs) EXPECT_LE(p.smoothness, 10.0 + 1e-9);
  const EnvelopeFit f = fit(t, 0.01);
  EXPECT_NEAR(f.L0, 10.0, 0.05);
  EXPECT_LE(f.L0, 10.0 + 1e-9);
  EXPECT_NEAR(f.L1, 0.0, 1e-9);
  EXPECT_NEAR(f.L0, q.analytic_constants()->L0, 0.05);
}

TEST(SmoothnessPairs, QuarticRadialStepsMatchTheSecantFormula) {
  // GD on ‖x‖⁴ from (1, ..., 1) moves along the ray: with r = ‖x_prev‖, r_α = ‖x_α‖,
  // ‖∇f(x_α) − ∇f(x_prev)‖ = 4|r_α³ − r³| and L̂ = 4 (r_α² + r_α r + r²).
  const Quartic f(10);
  const TrajectoryPairs t = drive(f, "sgd", 0.001, 100);
  ASSERT_EQ(t.pairs.size(), 300u);
  const auto c = *f.analytic_constants();
  for (const auto& p : t.pairs) {
    const double r = std::cbrt(p.grad_norm / 4.0);
    const double r_alpha = r - p.distance;  // towards the origin
    EXPECT_NEAR(p.smoothness, 4.0 * (r_alpha * r_alpha + r_alpha * r + r * r), 1e-9 * p.smoothness);
    EXPECT_LE(p.smoothness, c.L0 + c.L1 * p.grad_norm);  // the analytic line lies above
  }
  // The analytic line is feasible for the LP, so the fit is at most as high at g_ref.
  const EnvelopeFit e = fit(t);
  EXPECT_LE(e.objective, c.L0 + c.L1 * e.reference_norm + 1e-9);
}

TEST(SmoothnessPairs, DoubleWellPairsRespectTheAnalyticConstants) {
  // The assumption bounds L̂ by L0 + L1 sup_{u ∈ [x_prev, x_α]} ‖∇f(u)‖, not by the value at
  // x_prev: near the minimiser (∇f ≈ 0, h'' = 2) a step that moves outwards sees h'' > 2. On
  // this path ‖∇f(u) − ∇f(x_prev)‖ grows along the segment, so the sup is at most
  // ‖∇f(x_prev)‖ + L̂ ‖x_α − x_prev‖.
  const DoubleWell f(10);
  const TrajectoryPairs t = drive(f, "signsgd", 0.01, 200);
  EXPECT_EQ(t.pairs.size(), 600u);
  const auto c = *f.analytic_constants();
  std::size_t above_at_x_prev = 0;
  for (const auto& p : t.pairs) {
    EXPECT_LE(p.smoothness, c.L0 + c.L1 * (p.grad_norm + p.smoothness * p.distance));
    above_at_x_prev += p.smoothness > c.L0 + c.L1 * p.grad_norm ? 1 : 0;
  }
  EXPECT_GT(above_at_x_prev, 0u);  // the oscillation around x = 1 shows the effect
  // Near the minimiser h'' = 2: the trajectory sees L̂ close to L0 = 2 at small gradients.
  const EnvelopeFit e = fit(t, 0.01);
  EXPECT_GT(e.L0, 1.9);
  EXPECT_LT(e.L0, 2.1);
}

TEST(SmoothnessPairs, StopsWhenTheIterateDiverges) {
  const Quartic f(3);
  const TrajectoryPairs t = drive(f, "sgd", 10.0, 50);
  EXPECT_TRUE(t.diverged);
  EXPECT_LT(t.steps_done, 50);
  for (const auto& p : t.pairs) EXPECT_TRUE(std::isfinite(p.smoothness));
}

TEST(SmoothnessPairs, SkipsStepsTooShortToMeasure) {
  // At the minimiser GD does not move: no pair can be measured.
  const Vector eig = Vector::Constant(2, 1.0);
  const Quadratic q = Quadratic::diagonal(eig, {}, Vector::Zero(2));
  const TrajectoryPairs t = drive(q, "sgd", 0.1, 5);
  EXPECT_TRUE(t.pairs.empty());
  EXPECT_EQ(t.skipped, 15);
}

TEST(SmoothnessPairs, RejectsBadOptions) {
  const Quartic f(2);
  for (std::vector<double> alphas : {std::vector<double>{}, {0.0}, {1.0}, {0.5, 1.2}}) {
    EXPECT_THROW(drive(f, "sgd", 0.001, 5, alphas), Error);
  }
  EXPECT_THROW(drive(f, "sgd", 0.001, 0), Error);
}

}  // namespace
}  // namespace signopt::estimate
