#include "signopt/oracle/gradient_oracle.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <vector>

#include "signopt/core/error.hpp"
#include "signopt/core/ks_test.hpp"
#include "signopt/noise/alpha_stable_noise.hpp"
#include "signopt/noise/gaussian_noise.hpp"

namespace signopt {
namespace {

// f(x) = (1/n) Σ ½‖x − a_i‖², ∇f(x) = x − mean(a): a finite sum small enough to check by hand.
class CentresProblem final : public Problem {
 public:
  explicit CentresProblem(Matrix centres) : centres_(std::move(centres)) {}
  std::string name() const override { return "centres"; }
  Index dim() const override { return centres_.rows(); }
  Index num_samples() const override { return centres_.cols(); }
  double value(const Vector& x) const override {
    return 0.5 * (centres_.colwise() - x).colwise().squaredNorm().mean();
  }
  void gradient(const Vector& x, Vector& g) const override { g = x - centres_.rowwise().mean(); }
  double minibatch_gradient(const Vector& x, std::span<const Index> samples,
                            Vector& g) const override {
    g = x;
    double loss = 0;
    for (Index i : samples) {
      g -= centres_.col(i) / static_cast<double>(samples.size());
      loss += 0.5 * (centres_.col(i) - x).squaredNorm() / static_cast<double>(samples.size());
    }
    return loss;
  }

 private:
  Matrix centres_;
};

CentresProblem three_dimensional_problem() {
  Matrix c(3, 2);
  c << 1.0, 3.0, -2.0, 0.0, 0.5, 0.5;
  return CentresProblem(c);
}

// Per-coordinate mean and variance of g − ∇f over `draws` oracle calls at x.
struct NoiseMoments {
  Vector mean, variance;
};
NoiseMoments noise_moments(GradientOracle& oracle, const Vector& x, Index batch, int draws) {
  Vector exact;
  oracle.problem().gradient(x, exact);
  const Index d = x.size();
  Vector sum = Vector::Zero(d), sum2 = Vector::Zero(d), g;
  for (int k = 0; k < draws; ++k) {
    oracle.estimate(x, batch, g);
    const Vector z = g - exact;
    sum += z;
    sum2 += z.cwiseProduct(z);
  }
  NoiseMoments m;
  m.mean = sum / draws;
  m.variance = sum2 / draws - m.mean.cwiseProduct(m.mean);
  return m;
}

TEST(NoisyGradientOracle, GaussianNoiseHasZeroMeanAndTheModelVariance) {
  const auto problem = three_dimensional_problem();
  GradientOracle oracle(problem, std::make_shared<GaussianNoise>(0.5), Sampling::Full, {1, 2, 0});
  const Vector x = Vector::Constant(3, 0.25);
  const int draws = 20000;
  const NoiseMoments m = noise_moments(oracle, x, 1, draws);
  for (Index i = 0; i < 3; ++i) {
    EXPECT_NEAR(m.mean[i], 0.0, 0.02);        // sd 0.0035
    EXPECT_NEAR(m.variance[i], 0.25, 0.015);  // sd 0.0025
  }
  EXPECT_EQ(oracle.draws(), draws);
}

TEST(NoisyGradientOracle, BatchAveragesBNoiseVectors) {
  const auto problem = three_dimensional_problem();
  GradientOracle oracle(problem, std::make_shared<GaussianNoise>(0.5), Sampling::Full, {1, 2, 0});
  const Vector x = Vector::Zero(3);
  const NoiseMoments m = noise_moments(oracle, x, 4, 20000);
  for (Index i = 0; i < 3; ++i) {
    EXPECT_NEAR(m.mean[i], 0.0, 0.01);
    EXPECT_NEAR(m.variance[i], 0.25 / 4.0, 0.004);  // σ²/B, sd 0.0006
  }
  EXPECT_EQ(oracle.draws(), 4 * 20000);
}

TEST(NoisyGradientOracle, PerCoordinateScaleMultipliesTheNoise) {
  const auto problem = three_dimensional_problem();
  Vector scale(3);
  scale << 1.0, 3.0, 0.0;
  GradientOracle oracle(problem, std::make_shared<GaussianNoise>(0.5), Sampling::Full, {1, 2, 0},
                        scale);
  const NoiseMoments m = noise_moments(oracle, Vector::Ones(3), 1, 20000);
  EXPECT_NEAR(m.variance[0], 0.25, 0.015);
  EXPECT_NEAR(m.variance[1], 9.0 * 0.25, 0.13);
  EXPECT_EQ(m.variance[2], 0.0);  // scale 0: that coordinate is exact
  EXPECT_EQ(m.mean[2], 0.0);
}

TEST(NoisyGradientOracle, NoNoiseGivesTheExactGradient) {
  const auto problem = three_dimensional_problem();
  GradientOracle oracle(problem, nullptr, Sampling::Full, {});
  const Vector x = Vector::Constant(3, 2.0);
  Vector g, exact;
  oracle.estimate(x, 5, g);
  problem.gradient(x, exact);
  EXPECT_EQ(g, exact);
  EXPECT_EQ(oracle.noise().name(), "none");
}

TEST(NoisyGradientOracle, HeavyTailedNoiseKeepsItsLaw) {
  // g − ∇f under the oracle has the law of the model itself (batch 1).
  const auto problem = three_dimensional_problem();
  const auto model = std::make_shared<AlphaStableNoise>(1.5, 0.3, 0.1);
  GradientOracle oracle(problem, model, Sampling::Full, {3, 4, 5});
  const Vector x = Vector::Zero(3);
  Vector g, exact;
  problem.gradient(x, exact);
  std::vector<double> through_oracle;
  for (int k = 0; k < 5000; ++k) {
    oracle.estimate(x, g);
    for (Index i = 0; i < 3; ++i) through_oracle.push_back(g[i] - exact[i]);
  }
  Rng rng = Rng::derive({99});
  std::vector<double> direct(through_oracle.size());
  model->sample(rng, direct);
  EXPECT_GT(ks_two_sample_test(through_oracle, direct).p_value, 1e-3);
}

TEST(NoisyGradientOracle, NoiseIsAddedToMinibatchGradients) {
  // All centres equal: every minibatch gradient is exact, so g − ∇f is pure noise.
  Matrix c = Matrix::Constant(2, 50, 1.0);
  const CentresProblem problem(c);
  GradientOracle oracle(problem, std::make_shared<GaussianNoise>(2.0), Sampling::WithReplacement,
                        {1, 1, 1});
  const NoiseMoments m = noise_moments(oracle, Vector::Zero(2), 2, 20000);
  EXPECT_NEAR(m.variance[0], 4.0 / 2.0, 0.1);
  EXPECT_EQ(oracle.sample_gradients(), 2 * 20000);
}

TEST(NoisyGradientOracle, StreamsAreReproducibleAndWorkersIndependent) {
  const auto problem = three_dimensional_problem();
  const auto noise = std::make_shared<GaussianNoise>(1.0);
  GradientOracle a(problem, noise, Sampling::Full, {1, 2, 0});
  GradientOracle b(problem, noise, Sampling::Full, {1, 2, 0});
  GradientOracle other_worker(problem, noise, Sampling::Full, {1, 2, 1});
  const Vector x = Vector::Zero(3);
  Vector ga, gb, gc, exact;
  problem.gradient(x, exact);
  double cross = 0;
  const int draws = 20000;
  for (int k = 0; k < draws; ++k) {
    a.estimate(x, ga);
    b.estimate(x, gb);
    other_worker.estimate(x, gc);
    ASSERT_EQ(ga, gb);
    cross += (ga - exact).dot(gc - exact) / 3.0;
  }
  // Correlation of two independent N(0,1) streams: sd 1/√(3·draws) ≈ 0.004.
  EXPECT_NEAR(cross / draws, 0.0, 0.02);
}

TEST(NoisyGradientOracle, RejectsBadCoordinateScales) {
  const auto problem = three_dimensional_problem();
  const auto noise = std::make_shared<GaussianNoise>(1.0);
  EXPECT_THROW(GradientOracle(problem, noise, Sampling::Full, {}, Vector::Ones(2)), Error);
  EXPECT_THROW(GradientOracle(problem, noise, Sampling::Full, {}, -Vector::Ones(3)), Error);
}

}  // namespace
}  // namespace signopt
