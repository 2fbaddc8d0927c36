#pragma once
// A tiny test problem for the distributed tests (gtest and the MPI programs):
// f(x) = ½ Σ_i a_i x_i², ∇f(x) = a ∘ x, with a_i = 1 + i / d, minimum f* = 0 at x = 0,
// and Gaussian gradient noise of a given scale.
#include <string>

#include "signopt/noise/noise_model.hpp"
#include "signopt/problems/problem.hpp"

namespace signopt::testing {

class NoisyQuadraticFixture final : public Problem {
 public:
  explicit NoisyQuadraticFixture(Index d) : curvature_(d) {
    for (Index i = 0; i < d; ++i)
      curvature_[i] = 1.0 + static_cast<double>(i) / static_cast<double>(d);
  }
  std::string name() const override { return "test-quadratic"; }
  Index dim() const override { return curvature_.size(); }
  double value(const Vector& x) const override {
    return 0.5 * (curvature_.array() * x.array().square()).sum();
  }
  void gradient(const Vector& x, Vector& grad) const override {
    grad = curvature_.array() * x.array();
  }
  Vector initial_point(Rng&) const override { return Vector::Constant(dim(), 1.0); }

 private:
  Vector curvature_;
};

class GaussianTestNoise final : public NoiseModel {
 public:
  explicit GaussianTestNoise(double scale) : scale_(scale) {}
  std::string name() const override { return "test-gaussian"; }
  std::string describe() const override { return "test-gaussian"; }
  void sample(Rng& rng, std::span<double> out) const override {
    for (double& v : out) v = scale_ * rng.normal();
  }
  bool symmetric() const override { return true; }
  double moment_supremum() const override { return std::numeric_limits<double>::infinity(); }

 private:
  double scale_;
};

}  // namespace signopt::testing
