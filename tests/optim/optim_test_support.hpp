#pragma once
// Test fixtures for the optimizer tests: a separable convex quadratic and Gaussian noise,
// both small and exact, so tests do not depend on other layers' problems and noise models.
#include <bit>
#include <cmath>
#include <memory>
#include <span>
#include <string>

#include "signopt/core/rng.hpp"
#include "signopt/core/types.hpp"
#include "signopt/noise/noise_model.hpp"
#include "signopt/oracle/gradient_oracle.hpp"
#include "signopt/problems/problem.hpp"

namespace signopt::testing {

// f(x) = ½ Σ a_i (x_i − b_i)², a_i > 0; f* = 0 at x = b.
class SeparableQuadratic final : public Problem {
 public:
  SeparableQuadratic(Vector curvature, Vector minimiser)
      : a_(std::move(curvature)), b_(std::move(minimiser)) {}
  // a_i spread over [1, 4], b_i alternating ±1 with varying size.
  static SeparableQuadratic standard(Index d) {
    Vector a(d), b(d);
    for (Index i = 0; i < d; ++i) {
      a[i] = 1.0 + 3.0 * static_cast<double>(i) / static_cast<double>(std::max<Index>(d - 1, 1));
      b[i] = (i % 2 == 0 ? 1.0 : -1.0) * (0.5 + 0.1 * static_cast<double>(i % 7));
    }
    return SeparableQuadratic(a, b);
  }
  std::string name() const override { return "separable-quadratic"; }
  Index dim() const override { return a_.size(); }
  double value(const Vector& x) const override {
    return 0.5 * (a_.array() * (x - b_).array().square()).sum();
  }
  void gradient(const Vector& x, Vector& g) const override {
    g = (a_.array() * (x - b_).array()).matrix();
  }
  std::optional<double> lower_bound() const override { return 0.0; }
  const Vector& minimiser() const { return b_; }

 private:
  Vector a_, b_;
};

// Standard normal noise times `scale`.
class TestGaussianNoise final : public NoiseModel {
 public:
  explicit TestGaussianNoise(double scale) : scale_(scale) {}
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

inline GradientOracle noisy_oracle(const Problem& p, double scale, std::uint64_t seed) {
  return GradientOracle(p, std::make_shared<TestGaussianNoise>(scale), Sampling::Full,
                        StreamKey{seed, 0, 0});
}

inline bool bit_identical(const Vector& a, const Vector& b) {
  if (a.size() != b.size()) return false;
  for (Index i = 0; i < a.size(); ++i) {
    if (std::bit_cast<std::uint64_t>(a[i]) != std::bit_cast<std::uint64_t>(b[i])) return false;
  }
  return true;
}

}  // namespace signopt::testing
