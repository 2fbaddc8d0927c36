#pragma once
// Tail-index estimation for heavy-tailed samples (docs/theory.md §7): if P(|X| > x) ~ C x^{−α}, the
// tail index is α, and E|X|^p < ∞ exactly for p < α — so a κ for the theory must stay below it.
#include <cstddef>
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

}  // namespace signopt
