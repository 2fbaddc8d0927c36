#include "signopt/distributed/distributed_step.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include <memory>
#include <vector>

#include "distributed/noisy_quadratic.hpp"
#include "signopt/core/error.hpp"
#include "signopt/distributed/in_process_communicator.hpp"

namespace signopt {
namespace {

Vector sign_plus(const Vector& v) {  // the wire's sign: sign(0) = +1
  Vector s(v.size());
  for (Index i = 0; i < v.size(); ++i) s[i] = v[i] < 0 ? -1.0 : 1.0;
  return s;
}

TEST(DistributedStep, DistributedSgdWithOneWorkerIsSgdExactly) {
  InProcessCommunicator comm(1);
  auto config = distributed_recipe("distributed-sgd", 1);
  config.compressor.values = FloatFormat::Float64;  // exact: no rounding of g to fp32
  DistributedStep step(config, 3, comm, {});
  Vector x(3), g(3);
  x << 1.0, -2.0, 0.5;
  g << 0.3, 0.1, -7.0;
  const Vector want = x - 0.1 * g;
  step.step(x, std::vector<Vector>{g}, 0.1);
  EXPECT_TRUE(x == want);
}

TEST(DistributedStep, MajorityVoteHandComputed) {
  InProcessCommunicator comm(3);
  DistributedStep step(distributed_recipe("majority-vote-signsgd", 3), 4, comm, {});
  std::vector<Vector> g(3, Vector(4));
  g[0] << 1.0, -1.0, 0.0, -5.0;
  g[1] << 2.0, 3.0, -1.0, -1.0;
  g[2] << -0.5, -2.0, -1.0, 4.0;
  // Signs (sign(0) = +1): (+,−,+,−), (+,+,−,−), (−,−,−,+) → sums (1, −1, −1, −1).
  Vector x = Vector::Zero(4);
  const StepBits bits = step.step(x, g, 0.5);
  EXPECT_EQ(x, Vector((Vector(4) << -0.5, 0.5, 0.5, 0.5).finished()));
  EXPECT_EQ(step.last_aggregate(), Vector((Vector(4) << 1, -1, -1, -1).finished()));
  EXPECT_EQ(bits.uplink, 4u);
  EXPECT_EQ(bits.downlink, 4u);
}

TEST(DistributedStep, SignumKeepsMomentumPerWorker) {
  InProcessCommunicator comm(2);
  auto config = distributed_recipe("majority-vote-signum", 2);
  config.worker_momentum = 0.5;
  DistributedStep step(config, 2, comm, {});
  Vector x = Vector::Zero(2);
  std::vector<Vector> g(2, Vector(2));
  g[0] << 4.0, -2.0;
  g[1] << -2.0, -2.0;
  step.step(x, g, 1.0);  // m0 = (2, −1), m1 = (−1, −1): sums (0: a tie, broken at random; −2)
  EXPECT_EQ(std::abs(x[0]), 1.0);
  EXPECT_EQ(x[1], 1.0);
  const double x0 = x[0];
  g[0] << -8.0, 6.0;
  g[1] << 1.0, 4.0;
  step.step(x, g, 1.0);  // m0 = (−3, 2.5), m1 = (0, 1.5): signs (−,+), (+,+) → (tie, +1)
  EXPECT_EQ(step.worker_momentum(0), Vector((Vector(2) << -3.0, 2.5).finished()));
  EXPECT_EQ(step.worker_momentum(1), Vector((Vector(2) << 0.0, 1.5).finished()));
  EXPECT_EQ(std::abs(x[0] - x0), 1.0);
  EXPECT_EQ(x[1], 0.0);
}

TEST(DistributedStep, EfSignSgdWithOneWorkerIsKarimireddyExactly) {
  // p = γ g + e;  Δ = (‖p‖₁/d) sign(p);  x ← x − Δ;  e ← p − Δ  (Karimireddy et al. 2019).
  const Index d = 5;
  InProcessCommunicator comm(1);
  auto config = distributed_recipe("ef-signsgd", 1);
  config.compressor.values = FloatFormat::Float64;
  DistributedStep step(config, d, comm, {});
  Rng rng(9);
  Vector x = Vector::Ones(d), x_ref = x, e = Vector::Zero(d), g(d);
  for (int t = 0; t < 30; ++t) {
    for (Index i = 0; i < d; ++i) g[i] = rng.normal();
    const double gamma = 0.1 / (1 + t);
    step.step(x, std::vector<Vector>{g}, gamma);
    // Two statements, as the library computes it (one expression could be fused into an FMA).
    Vector p = g * gamma;
    p += e;
    const Vector delta = (p.lpNorm<1>() / static_cast<double>(d)) * sign_plus(p);
    x_ref -= delta;
    e = p - delta;
    ASSERT_TRUE(x == x_ref) << "step " << t;
    ASSERT_TRUE(step.worker_residual(0) == e) << "step " << t;
  }
}

// Uplink and downlink bits per worker per step of every recipe, against closed forms written
// out here (docs/distributed.md "Wire formats and bit accounting"). d = 1000, so ⌈log2 d⌉ =
// ⌈log2(d+1)⌉ = 10 and the default k = round(0.01·d) = 10; QSGD's s = 7 levels take 3 bits.
TEST(DistributedStep, EveryRecipesBitsMatchTheirClosedForms) {
  const std::uint64_t d = 1000, k = 10, lg = 10;
  // The sparse recipes' downlink: a format bit, then the cheaper of d fp32 values and a count
  // followed by n (index, value) pairs.
  const auto sparse_down = [&](std::uint64_t n) {
    return 1 + std::min(32 * d, lg + n * (lg + 32));
  };
  for (const Index m : {Index{1}, Index{3}, Index{4}}) {
    for (const auto& recipe : distributed_recipe_names()) {
      InProcessCommunicator comm(m);
      DistributedStep step(distributed_recipe(recipe, m), static_cast<Index>(d), comm, {7, 1, 0});
      EXPECT_EQ(step.last_step_bits().uplink, 0u) << recipe;  // nothing sent yet
      Rng rng(3);
      Vector x = Vector::Zero(static_cast<Index>(d));
      std::vector<Vector> g(static_cast<std::size_t>(m), Vector(static_cast<Index>(d)));
      StepBits sum;
      for (int t = 0; t < 3; ++t) {
        for (auto& gj : g)
          for (Index i = 0; i < gj.size(); ++i) gj[i] = rng.normal();
        const StepBits b = step.step(x, g, 0.01);
        const auto n = static_cast<std::uint64_t>((step.last_aggregate().array() != 0.0).count());
        std::uint64_t up = 0, down = 0;
        if (recipe == "distributed-sgd") {
          up = down = 32 * d;  // fp32 by default, like the compressors
        } else if (recipe.starts_with("majority-vote")) {
          up = down = d;
        } else if (recipe == "ef-signsgd" || recipe == "scaled-sign") {
          up = d + 32, down = 32 * d;
        } else if (recipe.starts_with("top-k")) {
          up = k * (lg + 32), down = sparse_down(n);
          EXPECT_GE(n, 1u) << recipe;
          EXPECT_LE(n, k * static_cast<std::uint64_t>(m)) << recipe;
        } else if (recipe.starts_with("rand-k")) {
          up = 64 + 32 * k, down = sparse_down(n);
          EXPECT_LE(n, k * static_cast<std::uint64_t>(m)) << recipe;
        } else if (recipe.starts_with("qsgd")) {
          up = 32 + d * (1 + 3), down = 32 * d;
        } else {
          ADD_FAILURE() << "no closed form for " << recipe;
        }
        EXPECT_EQ(b.uplink, up) << recipe << " M=" << m;
        EXPECT_EQ(b.downlink, down) << recipe << " M=" << m << " n=" << n;
        EXPECT_EQ(step.last_step_bits().downlink, b.downlink);
        sum.uplink += up;
        sum.downlink += down;
      }
      EXPECT_EQ(step.total_bits().uplink, sum.uplink) << recipe;
      EXPECT_EQ(step.total_bits().downlink, sum.downlink) << recipe;
      EXPECT_EQ(step.steps(), 3);
    }
  }
  // With more workers than d/k the supports cover more than the dense encoding costs: 40
  // workers × top-10 at d = 100 (⌈log2 100⌉ = 7, ⌈log2 101⌉ = 7).
  InProcessCommunicator comm(40);
  auto config = distributed_recipe("top-k", 40);
  config.compressor.k = 10;
  DistributedStep step(config, 100, comm, {});
  Rng rng(5);
  std::vector<Vector> g(40, Vector(100));
  for (auto& gj : g)
    for (Index i = 0; i < 100; ++i) gj[i] = rng.normal();
  Vector x = Vector::Zero(100);
  const StepBits b = step.step(x, g, 0.1);
  const auto n = static_cast<std::uint64_t>((step.last_aggregate().array() != 0.0).count());
  ASSERT_GT(7 + n * (7 + 32), 3200u);  // the case this checks
  EXPECT_EQ(b.downlink, 1u + 3200u);
}

TEST(DistributedStep, DistributedSgdInFp64SendsAndReceives64BitsPerCoordinate) {
  auto config = distributed_recipe("distributed-sgd", 2);
  config.compressor.values = FloatFormat::Float64;
  InProcessCommunicator comm(2);
  DistributedStep step(config, 10, comm, {});
  Vector x = Vector::Zero(10);
  const StepBits b = step.step(x, std::vector<Vector>(2, Vector::Ones(10)), 0.1);
  EXPECT_EQ(b.uplink, 640u);
  EXPECT_EQ(b.downlink, 640u);
}

TEST(DistributedStep, TieBreakingFollowsTheRunSeed) {
  // M = 2 with opposite gradients: every coordinate ties at every step, so x moves by
  // tie-breaking bits only.
  const Index d = 200;
  const auto run = [d](const StreamKey& key) {
    InProcessCommunicator comm(2);
    DistributedStep step(distributed_recipe("majority-vote-signsgd", 2), d, comm, key);
    const Vector v = Vector::LinSpaced(d, -1.0, 1.0);
    std::vector<Vector> g{v, -v};
    Vector x = Vector::Zero(d);
    for (int t = 0; t < 4; ++t) step.step(x, g, 1.0);
    return x;
  };
  const Vector a = run({3, 10, 0});
  EXPECT_EQ(a, run({3, 10, 0}));            // reproducible
  EXPECT_NE(a, run({3, 11, 0}));            // another run seed
  EXPECT_NE(a, run({4, 10, 0}));            // another experiment seed
  EXPECT_GT(a.cwiseAbs().maxCoeff(), 0.0);  // ties did move x (the bits are not all one way)
}

TEST(DistributedStep, ThreadsDoNotChangeTheResult) {
  const Index d = 77, m = 5;
  for (const char* recipe : {"qsgd-ef", "rand-k", "majority-vote-signum"}) {
    InProcessCommunicator comm(m);
    DistributedStep one(distributed_recipe(recipe, m), d, comm, {1, 2, 0}, 1);
    DistributedStep three(distributed_recipe(recipe, m), d, comm, {1, 2, 0}, 3);
    Rng rng(4);
    Vector x1 = Vector::Ones(d), x3 = x1;
    std::vector<Vector> g(static_cast<std::size_t>(m), Vector(d));
    for (int t = 0; t < 10; ++t) {
      for (auto& gj : g)
        for (Index i = 0; i < d; ++i) gj[i] = rng.normal();
      one.step(x1, g, 0.05);
      three.step(x3, g, 0.05);
      ASSERT_TRUE(x1 == x3) << recipe << " step " << t;
    }
  }
}

TEST(DistributedStep, MismatchedSizesAreErrors) {
  InProcessCommunicator comm(2);
  EXPECT_THROW(DistributedStep(distributed_recipe("top-k", 3), 10, comm, {}), Error);
  DistributedStep step(distributed_recipe("top-k", 2), 10, comm, {});
  Vector x = Vector::Zero(10);
  EXPECT_THROW(step.step(x, std::vector<Vector>(1, Vector::Zero(10)), 0.1), Error);
  EXPECT_THROW(step.step(x, std::vector<Vector>(2, Vector::Zero(9)), 0.1), Error);
  Vector wrong = Vector::Zero(9);
  EXPECT_THROW(step.step(wrong, std::vector<Vector>(2, Vector::Zero(10)), 0.1), Error);
}

// Fault tolerance (Bernstein et al. 2019) on f(x) = ½ Σ a_i x_i² with Gaussian noise, each
// worker drawing its gradient from its own oracle (StreamKey.worker = j).
double final_value(const DistributedConfig& config, int steps, double gamma, double noise_scale) {
  const Index d = 20;
  const Quadratic problem = testing::distributed_test_quadratic(d);
  const auto noise = testing::distributed_test_noise(noise_scale);
  InProcessCommunicator comm(config.workers);
  const StreamKey key{5, 1, 0};
  DistributedStep step(config, d, comm, key);
  std::vector<GradientOracle> oracles;
  for (Index j = 0; j < config.workers; ++j)
    oracles.emplace_back(
        problem, noise, Sampling::Full,
        StreamKey{key.experiment_seed, key.run_seed, static_cast<std::uint64_t>(j)});
  Rng init(0);
  Vector x = problem.initial_point(init);
  std::vector<Vector> g(static_cast<std::size_t>(config.workers));
  for (int t = 0; t < steps; ++t) {
    for (Index j = 0; j < config.workers; ++j)
      oracles[static_cast<std::size_t>(j)].estimate(x, g[static_cast<std::size_t>(j)]);
    step.step(x, g, gamma);
  }
  return problem.value(x);
}

TEST(DistributedStepFaults, MajorityVoteConvergesWithAMinorityOfNegatingWorkers) {
  const double f0 = testing::distributed_test_quadratic(20).value(Vector::Ones(20));  // 14.75
  auto config = distributed_recipe("majority-vote-signsgd", 7);
  config.faults = {3, FaultKind::Negate, 1.0};  // k = 3 < M/2
  // f falls from 14.75 to about 0.07 (0.01 without faults); the bound leaves a 4x margin.
  EXPECT_LT(final_value(config, 400, 0.01, 0.3), 0.02 * f0);
  config.faults = {3, FaultKind::RandomSign, 1.0};
  EXPECT_LT(final_value(config, 400, 0.01, 0.3), 0.02 * f0);
  // Control: with a majority of negating workers (k = 4 > M/2) the vote walks uphill.
  config.faults = {4, FaultKind::Negate, 1.0};
  EXPECT_GT(final_value(config, 400, 0.01, 0.3), f0);
}

TEST(DistributedStepFaults, MeanAggregationFailsUnderOneScaledAdversary) {
  const double f0 = testing::distributed_test_quadratic(20).value(Vector::Ones(20));
  auto config = distributed_recipe("distributed-sgd", 7);
  EXPECT_LT(final_value(config, 400, 0.05, 1.0), 0.01 * f0);  // control: no adversary converges
  // One worker sends −λ g with λ = 10: the mean is ≈ (6 − 10)/7 g, an ascent direction.
  config.faults = {1, FaultKind::Scaled, 10.0};
  EXPECT_GT(final_value(config, 400, 0.05, 1.0), 100.0 * f0);
}

}  // namespace
}  // namespace signopt
