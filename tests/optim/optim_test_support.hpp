#pragma once
// Test fixtures for the optimizer tests: a diagonal convex quadratic and a Gaussian noise
// model of our own (exact and tiny, so the tests do not depend on the noise layer).
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
#include "signopt/problems/quadratic.hpp"

namespace signopt::testing {

// f(x) = ½ Σ a_i (x_i − b_i)² (the library's diagonal Quadratic), a_i spread over [1, 4],
// b_i alternating ±(0.5 + 0.1 (i mod 7)); f* = 0 at b; the start is x¹ = 0.
inline Quadratic standard_quadratic(Index d) {
  Vector a(d), b(d);
  for (Index i = 0; i < d; ++i) {
    a[i] = 1.0 + 3.0 * static_cast<double>(i) / static_cast<double>(std::max<Index>(d - 1, 1));
    b[i] = (i % 2 == 0 ? 1.0 : -1.0) * (0.5 + 0.1 * static_cast<double>(i % 7));
  }
  return Quadratic::diagonal(a, b, Vector::Zero(d));
}

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
