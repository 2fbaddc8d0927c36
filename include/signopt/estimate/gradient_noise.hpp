#pragma once
// The gradient noise of an oracle at a point, and what it says about docs/theory.md's Assumption 3 (§1)
// (per coordinate: E|∇f(x, ξ)_i − ∇f(x)_i|^κ ≤ σ_i^κ, κ ∈ (1, 2]; symmetric for majority vote).
//
// sample_gradient_noise draws the oracle n times at a fixed x and keeps z = g − ∇f(x) on the
// chosen coordinates. analyze_noise estimates per coordinate:
//   tail index   Hill (1975) on the k largest |z| (core/tail_index.hpp), k stated; a κ for the
//                theory must be below it. Discrete, bounded noise (e.g. minibatch noise of one-hot
//                data) has no power tail: when the k + 1 largest magnitudes take fewer than
//                (k + 1)/2 distinct values α̂ = +∞ is reported; with fewer than k + 1 non-zero
//                values it is undefined (NaN).
//   σ_i^κ        the empirical E|z_i|^κ, and σ_i = (E|z_i|^κ)^{1/κ};
//   symmetry     sign test and tail-balance test (symmetry_test.hpp);
// and summarises across coordinates (median and 10%/90% quantiles of the tail indices, how many
// are ≤ 2 (infinite variance) or ≤ κ (the κ-th moment is suspect), ‖σ⃗‖₁, ‖σ⃗‖_κ, how many
// coordinates reject symmetry at the 5% level).
#include <span>
#include <string>
#include <vector>

#include "signopt/core/types.hpp"
#include "signopt/estimate/symmetry_test.hpp"
#include "signopt/oracle/gradient_oracle.hpp"

namespace signopt::estimate {

// Draws `samples` single-draw estimates g from `oracle` at x and returns the matrix
// Z(s, j) = g_s[coordinates[j]] − ∇f(x)[coordinates[j]] (samples × coordinates).
Matrix sample_gradient_noise(GradientOracle& oracle, const Vector& x, Index samples,
                             std::span<const Index> coordinates);

struct CoordinateNoise {
  Index coordinate = 0;
  double mean = 0.0;           // bias check: ≈ 0 for an unbiased oracle (when the mean exists)
  double moment = 0.0;         // E|z|^κ (σ_i^κ)
  double sigma = 0.0;          // (E|z|^κ)^{1/κ}
  double tail_index = 0.0;     // Hill α̂; +∞ (discrete top order statistics) or NaN (see above)
  double tail_index_se = 0.0;  // α̂/√k
  SymmetryTest symmetry;
};

struct NoiseAnalysis {
  double kappa = 2.0;
  std::size_t hill_k = 0;  // order statistics used by the Hill estimator
  Index samples = 0;
  std::vector<CoordinateNoise> coordinates;

  // Across coordinates.
  std::size_t finite_tail = 0;     // coordinates with a finite tail-index estimate
  std::size_t unbounded_tail = 0;  // +∞: discrete top order statistics (bounded noise)
  std::size_t undefined_tail = 0;  // NaN: too few non-zero values
  double tail_median = 0.0, tail_q10 = 0.0, tail_q90 = 0.0, tail_min = 0.0;  // over finite ones
  std::size_t tail_at_most_2 = 0;      // α̂ ≤ 2: the variance looks infinite
  std::size_t tail_at_most_kappa = 0;  // α̂ ≤ κ: E|z|^κ looks infinite
  double sigma_median = 0.0;
  double sigma_l1 = 0.0;                  // Σ σ_i over the analysed coordinates
  double sigma_kappa = 0.0;               // (Σ σ_i^κ)^{1/κ} over the analysed coordinates
  std::size_t sign_rejected = 0;          // sign-test p < 0.05
  std::size_t tail_balance_rejected = 0;  // tail-balance p < 0.05
  double min_p_bonferroni = 1.0;  // min over coordinates and both tests of p, × their number
};

// k = max(10, ⌈n/100⌉), capped at n − 1: about 1% of the sample (tail_index.hpp's advice for
// t and stable laws).
std::size_t default_hill_k(std::size_t samples);

// Throws Error for κ ∉ (1, 2], an empty sample, hill_k ∉ [1, n), NaN values or a column count
// that differs from coordinates.size().
CoordinateNoise analyze_coordinate(std::span<const double> noise, double kappa, std::size_t hill_k);
NoiseAnalysis analyze_noise(const Matrix& noise, std::span<const Index> coordinates, double kappa,
                            std::size_t hill_k);

}  // namespace signopt::estimate
