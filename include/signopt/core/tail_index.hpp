#pragma once
// Tail-index estimation for heavy-tailed samples: if P(|X| > x) ~ C x^{−α}, the
// tail index is α, and E|X|^p < ∞ exactly for p < α — so a κ for the theory must stay below it.
#include <cstddef>
#include <optional>
#include <span>

namespace signopt {

struct TailIndexEstimate {
  double index = 0.0;           // α̂
  std::size_t k = 0;            // number of upper order statistics used
  double standard_error = 0.0;  // asymptotic α̂/√k (Hill 1975; Hall 1982)
};

// Hill (1975) estimator on the magnitudes |x_i|: with |x|_(1) ≥ |x|_(2) ≥ … the order
// statistics, H_k = (1/k) Σ_{i=1..k} log(|x|_(i) / |x|_(k+1)) and α̂ = 1/H_k.
// k trades bias (large k reaches into the body of the law) for variance (small k): for laws
// with a pure power tail (Pareto) any k works; for t and stable laws keep k/n around 1% or less.
// Requires 1 ≤ k < n and |x|_(k+1) > 0; throws Error otherwise.
TailIndexEstimate hill_tail_index(std::span<const double> sample, std::size_t k);

// The block-sum estimator of Mohammadi, Mohammadpour and Ogata (2015), which Şimşekli, Sagun and
// Gürbüzbalaban (2019) used for the gradient noise of neural networks. For a symmetric α-stable
// law the sum of K draws is K^{1/α} times a draw, so with the sample cut into m = ⌊n/K⌋ blocks of
// K, Y_i the block sums and X_j the draws (the first mK),
//   1/α̂ = (1/log K) ( (1/m) Σ_i log|Y_i| − (1/(mK)) Σ_j log|X_j| ).
// A law with finite variance has block sums ~ √K X, so α̂ → 2: unlike Hill, it does not report an
// index above 2 for stable noise near α = 2 (Hill at α = 1.9 reads about 2.6). It assumes a
// centred, symmetric law; zeros are skipped (log 0). k = K, the block size; standard_error by the
// delta method from the sample variances of log|Y_i| and log|X_j| (about 0.08 at α ≈ 2 with
// n = 20 000). Requires K ≥ 2, at least two blocks and non-zero draws; throws Error otherwise.
TailIndexEstimate block_sum_tail_index(std::span<const double> sample, std::size_t K);
// K = ⌊√n⌋ (at least 2): as many blocks as draws per block.
std::size_t default_block_size(std::size_t samples);

// A κ strictly below a tail index α (E|z|^p < ∞ iff p < α): min(2, 1 + 0.75 (α − 1)), so 1.375
// at α = 1.5 and 1.675 at α = 1.9, 2 for α ≥ 7/3 or +∞; nullopt when α ≤ 1 or NaN (no κ in
// (1, 2] has a finite moment).
std::optional<double> kappa_below_tail_index(double alpha);

}  // namespace signopt
