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
  DistributedStep step(distributed_recipe("distributed-sgd", 1), 3, comm, {});
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

TEST(DistributedStep, BitsPerStepAndTotals) {
  const Index d = 100;
  struct Expect {
    const char* recipe;
    std::uint64_t up, down;
  };
  for (const Expect& e :
       {Expect{"distributed-sgd", 6400, 6400}, Expect{"majority-vote-signsgd", 100, 100},
        Expect{"ef-signsgd", 132, 3200}, Expect{"top-k-ef", 1 * (7 + 32), 3200},
        Expect{"rand-k", 64 + 32, 3200}, Expect{"qsgd", 32 + 100 * 4, 3200}}) {
    InProcessCommunicator comm(3);
    DistributedStep step(distributed_recipe(e.recipe, 3), d, comm, {});
    std::vector<Vector> g(3, Vector::LinSpaced(d, -1.0, 2.0));
    Vector x = Vector::Zero(d);
    for (int t = 0; t < 4; ++t) {
      const StepBits b = step.step(x, g, 0.01);
      EXPECT_EQ(b.uplink, e.up) << e.recipe;
      EXPECT_EQ(b.downlink, e.down) << e.recipe;
    }
    EXPECT_EQ(step.total_bits().uplink, 4 * e.up) << e.recipe;
    EXPECT_EQ(step.total_bits().downlink, 4 * e.down) << e.recipe;
    EXPECT_EQ(step.steps(), 4);
  }
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
