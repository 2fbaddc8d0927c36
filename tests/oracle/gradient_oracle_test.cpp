#include "signopt/oracle/gradient_oracle.hpp"

#include <gtest/gtest.h>

#include <set>

#include "signopt/core/error.hpp"
#include "signopt/data/libsvm_reader.hpp"
#include "signopt/problems/logistic_regression.hpp"
#include "signopt/problems/quadratic.hpp"
#include "test_support.hpp"

namespace signopt {
namespace {

// A problem that records which samples a minibatch gradient used: gradient = mean of e_i.
class IndexProbe final : public Problem {
 public:
  explicit IndexProbe(Index n) : n_(n) {}
  std::string name() const override { return "probe"; }
  Index dim() const override { return n_; }
  Index num_samples() const override { return n_; }
  double value(const Vector&) const override { return 0; }
  void gradient(const Vector&, Vector& g) const override { g = Vector::Constant(n_, 1.0 / static_cast<double>(n_)); }
  double minibatch_gradient(const Vector&, std::span<const Index> s, Vector& g) const override {
    g = Vector::Zero(n_);
    for (Index i : s) g[i] += 1.0;
    return 0.0;
  }

 private:
  Index n_;
};

// Adds a constant c to every coordinate: lets tests see how noise is averaged.
class ConstantNoise final : public NoiseModel {
 public:
  std::string name() const override { return "constant"; }
  std::string describe() const override { return "constant"; }
  void sample(Rng& rng, std::span<double> out) const override {
    for (double& v : out) v = rng.uniform() < 0.5 ? -1.0 : 1.0;
  }
  bool symmetric() const override { return true; }
  double moment_supremum() const override { return 1e300; }
};

TEST(GradientOracle, FullGradientWithoutNoiseIsExact) {
  const Quadratic q = Quadratic::diagonal(Vector::LinSpaced(4, 1, 4));
  GradientOracle oracle(q, nullptr, Sampling::Full, {1, 2, 0});
  Vector x = Vector::Ones(4), g, expected;
  oracle.estimate(x, 3, g);
  q.gradient(x, expected);
  EXPECT_EQ(g, expected);
  EXPECT_EQ(oracle.draws(), 3);
}

TEST(GradientOracle, BatchAveragesIndependentNoiseDraws) {
  const Quadratic q = Quadratic::diagonal(Vector::Zero(2000));
  GradientOracle oracle(q, std::make_shared<ConstantNoise>(), Sampling::Full, {1, 2, 0});
  Vector x = Vector::Zero(2000), g;
  oracle.estimate(x, 1, g);
  EXPECT_NEAR(g.squaredNorm() / 2000, 1.0, 1e-12);  // ±1 entries
  oracle.estimate(x, 16, g);
  // Mean of 16 Rademacher signs has variance 1/16.
  EXPECT_NEAR(g.squaredNorm() / 2000, 1.0 / 16, 0.01);
  EXPECT_EQ(oracle.draws(), 17);
}

TEST(GradientOracle, PerCoordinateScale) {
  const Quadratic q = Quadratic::diagonal(Vector::Zero(3));
  Vector scale(3);
  scale << 0, 1, 3;
  GradientOracle oracle(q, std::make_shared<ConstantNoise>(), Sampling::Full, {0, 0, 0}, scale);
  Vector g;
  oracle.estimate(Vector::Zero(3), g);
  EXPECT_EQ(g[0], 0.0);
  EXPECT_EQ(std::abs(g[1]), 1.0);
  EXPECT_EQ(std::abs(g[2]), 3.0);
  EXPECT_THROW(GradientOracle(q, nullptr, Sampling::Full, {}, Vector::Ones(2)), Error);
}

TEST(GradientOracle, StreamsAreReproducibleAndKeyed) {
  const Quadratic q = Quadratic::diagonal(Vector::Zero(50));
  auto noise = std::make_shared<ConstantNoise>();
  GradientOracle a(q, noise, Sampling::Full, {1, 2, 3}), b(q, noise, Sampling::Full, {1, 2, 3}),
      c(q, noise, Sampling::Full, {1, 2, 4});
  Vector x = Vector::Zero(50), ga, gb, gc;
  a.estimate(x, ga);
  b.estimate(x, gb);
  c.estimate(x, gc);
  EXPECT_EQ(ga, gb);
  EXPECT_NE(ga, gc);
}

TEST(GradientOracle, WithoutReplacementDrawsDistinctSamples) {
  const IndexProbe probe(100);
  for (Index batch : {Index{10}, Index{100}}) {
    GradientOracle oracle(probe, nullptr, Sampling::WithoutReplacement, {5, 6, 0});
    Vector g;
    for (int rep = 0; rep < 20; ++rep) {
      oracle.estimate(Vector::Zero(100), batch, g);
      EXPECT_EQ(g.sum(), static_cast<double>(batch));
      EXPECT_LE(g.maxCoeff(), 1.0);  // no sample twice
    }
    EXPECT_EQ(oracle.sample_gradients(), 20 * batch);
  }
  GradientOracle oracle(probe, nullptr, Sampling::WithoutReplacement, {});
  Vector g;
  EXPECT_THROW(oracle.estimate(Vector::Zero(100), 101, g), Error);
}

TEST(GradientOracle, WithReplacementIsUniform) {
  const IndexProbe probe(10);
  GradientOracle oracle(probe, nullptr, Sampling::WithReplacement, {7, 8, 0});
  Vector counts = Vector::Zero(10), g;
  for (int rep = 0; rep < 2000; ++rep) {
    oracle.estimate(Vector::Zero(10), 5, g);
    counts += g;
  }
  // χ² test, 9 degrees of freedom, 0.999 quantile 27.9.
  const double expected = 10000.0 / 10;
  EXPECT_LT((counts.array() - expected).square().sum() / expected, 27.9);
}

TEST(GradientOracle, HintReplacesTheFullGradientOnce) {
  const Quadratic q = Quadratic::diagonal(Vector::Ones(2));
  GradientOracle oracle(q, nullptr, Sampling::Full, {});
  Vector hint(2), g;
  hint << 7, 8;
  oracle.hint_exact_gradient(hint);
  oracle.estimate(Vector::Zero(2), g);
  EXPECT_EQ(g, hint);
  oracle.estimate(Vector::Zero(2), g);
  EXPECT_EQ(g, Vector::Zero(2));
}

TEST(GradientOracle, MinibatchSamplingNeedsAFiniteSum) {
  const Quadratic q = Quadratic::diagonal(Vector::Ones(2));
  EXPECT_THROW(GradientOracle(q, nullptr, Sampling::WithReplacement, {}), Error);
  EXPECT_EQ(sampling_from_string("without-replacement"), Sampling::WithoutReplacement);
  EXPECT_THROW(sampling_from_string("bogus"), Error);
}

}  // namespace
}  // namespace signopt
