#include "signopt/experiment/stall_detector.hpp"

#include <gtest/gtest.h>

#include "signopt/experiment/config.hpp"
#include "signopt/experiment/runner.hpp"
#include "signopt/problems/quadratic.hpp"
#include "test_support.hpp"

namespace signopt::experiment {
namespace {

TEST(StallDetector, FiresAfterTheWindowOfUnchangedStepsOnlyAwayFromStationaryPoints) {
  const Quadratic q = Quadratic::diagonal(Vector::Ones(3), {}, Vector::Ones(3));
  StallDetector d;
  const Vector x = Vector::Ones(3);
  for (Index k = 1; k < StallDetector::kWindow; ++k) {
    d.before_step(x);
    EXPECT_FALSE(d.after_step(x, q).has_value()) << k;
  }
  d.before_step(x);
  const auto why = d.after_step(x, q);
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("no progress"), std::string::npos);
  // Any change restarts the count, however small.
  StallDetector moving;
  Vector y = x;
  for (Index k = 0; k < 3 * StallDetector::kWindow; ++k) {
    moving.before_step(y);
    if (k % StallDetector::kWindow == 0) y[0] = std::nextafter(y[0], 2.0);
    EXPECT_FALSE(moving.after_step(y, q).has_value()) << k;
  }
  // At the minimiser (gradient exactly zero) staying put is right.
  StallDetector at_minimum;
  const Vector zero = Vector::Zero(3);
  for (Index k = 0; k < 2 * StallDetector::kWindow; ++k) {
    at_minimum.before_step(zero);
    EXPECT_FALSE(at_minimum.after_step(zero, q).has_value()) << k;
  }
}

// Issue 20: NSGD and ClipSGD under noise of scale 1e300 (the norm overflows to ∞, every update is
// 0) were reported "ok"; they are marked now, and a run at a stationary point is not.
TEST(StallDetector, RunnerMarksRunsWhoseUpdatesAreAllZero) {
  testing::TempDir dir;
  const auto c = parse_config(R"(
seeds = 2
iterations = 200
[problem]
type = "quadratic"
dim = 4
[noise]
model = "gaussian"
scale = 1e300
[[method]]
recipe = "nsgd"
lr = 0.01
[[method]]
recipe = "clip-sgd"
lr = 0.01
)", "stall.toml");
  RunOptions o;
  o.output = dir.path();
  o.progress = false;
  const auto r = run_experiment(c, o);
  ASSERT_EQ(r.runs.size(), 4u);
  for (const auto& run : r.runs) {
    EXPECT_EQ(run.status, "diverged") << run.method;
    EXPECT_EQ(run.diverged_at, StallDetector::kWindow) << run.method;
    EXPECT_NE(run.divergence_reason.find("no progress"), std::string::npos) << run.divergence_reason;
  }
  const auto still = parse_config(R"(
seeds = 1
iterations = 200
[problem]
type = "quadratic"
dim = 4
start = 0
[[method]]
recipe = "signsgd"
lr = 0.01
)", "still.toml");
  const auto s = run_experiment(still, o);
  EXPECT_EQ(s.runs.at(0).status, "ok");
}

}  // namespace
}  // namespace signopt::experiment
