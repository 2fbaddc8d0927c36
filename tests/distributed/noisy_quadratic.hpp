#pragma once
// The test problem of the distributed tests (gtest and the MPI programs), built from the
// library's own pieces: f(x) = ½ Σ_i a_i x_i² with a_i = 1 + i/d (Quadratic::diagonal),
// minimum f* = 0 at x = 0, start x¹ = (1, ..., 1), and Gaussian gradient noise.
#include <memory>

#include "signopt/noise/gaussian_noise.hpp"
#include "signopt/problems/quadratic.hpp"

namespace signopt::testing {

inline Quadratic distributed_test_quadratic(Index d) {
  Vector curvature(d);
  for (Index i = 0; i < d; ++i)
    curvature[i] = 1.0 + static_cast<double>(i) / static_cast<double>(d);
  return Quadratic::diagonal(curvature);
}

inline std::shared_ptr<const NoiseModel> distributed_test_noise(double scale) {
  return std::make_shared<GaussianNoise>(scale);
}

}  // namespace signopt::testing
