#include "signopt/experiment/method_optimizer.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "distributed/noisy_quadratic.hpp"
#include "signopt/core/error.hpp"

namespace signopt::experiment {
namespace {

MethodConfig distributed(const std::string& recipe, Index workers) {
  MethodConfig m;
  m.label = recipe;
  m.recipe = recipe;
  m.workers = workers;
  return m;
}

// The adapter draws worker j's gradients from the run's stream j and steps like a
// DistributedStep driven by hand (what the runner does).
TEST(DistributedOptimizer, StepsLikeADistributedStepOverTheRunsWorkerStreams) {
  const Index d = 30, m = 4;
  const Quadratic problem = signopt::testing::distributed_test_quadratic(d);
  const auto noise = signopt::testing::distributed_test_noise(0.5);
  const StreamKey run{9, 2, 0};
  for (const char* recipe : {"majority-vote-signsgd", "top-k-ef", "distributed-sgd"}) {
    const optim::Params params{{"lr", 0.05}};
    auto optimizer = make_method_optimizer(distributed(recipe, m), params);
    EXPECT_EQ(optimizer->name(), recipe);
    GradientOracle oracle(problem, noise, Sampling::Full, run);
    Vector x = Vector::Ones(d);
    optimizer->reset(x);

    const DistributedMethod method = make_distributed_method(distributed(recipe, m), m, params);
    InProcessCommunicator comm(m);
    DistributedStep by_hand(method.config, d, comm, run);
    std::vector<GradientOracle> oracles;
    for (Index j = 0; j < m; ++j)
      oracles.emplace_back(
          problem, noise, Sampling::Full,
          StreamKey{run.experiment_seed, run.run_seed, static_cast<std::uint64_t>(j)});
    Vector y = x;
    std::vector<Vector> g(static_cast<std::size_t>(m));
    for (Index k = 1; k <= 20; ++k) {
      optimizer->step(k, x, oracle);
      for (Index j = 0; j < m; ++j)
        oracles[static_cast<std::size_t>(j)].estimate(y, g[static_cast<std::size_t>(j)]);
      by_hand.step(y, g, 0.05);
      ASSERT_TRUE(x == y) << recipe << " step " << k;
    }
    EXPECT_LT(problem.value(x), problem.value(Vector::Ones(d))) << recipe;
    EXPECT_TRUE(optimizer->state_finite());
    EXPECT_EQ(optimizer->last_gradient().size(), d);
    // Another run seed: another trajectory.
    auto other = make_method_optimizer(distributed(recipe, m), params);
    GradientOracle other_oracle(problem, noise, Sampling::Full, StreamKey{9, 3, 0});
    Vector z = Vector::Ones(d);
    other->reset(z);
    for (Index k = 1; k <= 20; ++k) other->step(k, z, other_oracle);
    EXPECT_FALSE(z == x) << recipe;
  }
}

TEST(DistributedOptimizer, RefusesWhatItCannotDoFaithfully) {
  const Quadratic problem = signopt::testing::distributed_test_quadratic(5);
  auto optimizer = make_method_optimizer(distributed("majority-vote-signsgd", 3), {{"lr", 0.1}});
  Vector x = Vector::Ones(5);
  optimizer->reset(x);
  // One gradient cannot stand for three workers'.
  EXPECT_THROW(optimizer->update(1, Vector::Ones(5), x), Error);
  // The oracle handed to step() must be worker 0's (the others are derived from it).
  GradientOracle worker1(problem, nullptr, Sampling::Full, StreamKey{1, 1, 1});
  EXPECT_THROW(optimizer->step(1, x, worker1), Error);
  // A distributed recipe without workers, and a single-process recipe with them.
  MethodConfig no_workers = distributed("qsgd", 0);
  EXPECT_THROW((void)make_method_optimizer(no_workers, {{"lr", 0.1}}), Error);
  EXPECT_THROW((void)make_method_optimizer(distributed("m-signsgd", 2), {{"lr", 0.1}}), Error);
  MethodConfig single = distributed("m-signsgd", 0);
  EXPECT_EQ(make_method_optimizer(single, {{"lr", 0.1}})->name(), "m-signsgd");
}

}  // namespace
}  // namespace signopt::experiment
