#pragma once
// Local smoothness along an optimizer's trajectory (Zhang et al. 2020, "Why gradient clipping
// accelerates training", §3; docs/theory.md §7).
//
// At step k, with x_prev = x^k and x_new = x^{k+1}, for each α ∈ (0, 1) take
//   x_α = x_prev + (1 − α)(x_new − x_prev)
// and record
//   L̂ = ‖∇f(x_α) − ∇f(x_prev)‖₂ / ‖x_α − x_prev‖₂   against   g = ‖∇f(x_prev)‖₂.
// (L0, L1)-smoothness bounds every L̂ by L0 + L1·sup_{u∈[x_prev, x_α]} ‖∇f(u)‖; Zhang et al. plot
// it against ‖∇f(x_prev)‖, which is what is recorded here. Gradients are exact (full), whatever
// oracle drives the trajectory.
#include <vector>

#include "signopt/core/types.hpp"
#include "signopt/optim/optimizer.hpp"
#include "signopt/oracle/gradient_oracle.hpp"
#include "signopt/problems/problem.hpp"

namespace signopt::estimate {

struct SmoothnessPair {
  Index step = 0;           // k: x_prev is the iterate after k steps (0 = the start)
  double alpha = 0.0;       // α
  double grad_norm = 0.0;   // ‖∇f(x_prev)‖₂
  double smoothness = 0.0;  // L̂
  double distance = 0.0;    // ‖x_α − x_prev‖₂
};

struct TrajectoryOptions {
  Index steps = 100;
  std::vector<double> alphas{0.25, 0.5, 0.75};
  // Pairs with ‖x_α − x_prev‖ ≤ this · max(1, ‖x_prev‖) are skipped: the difference quotient
  // of such a short step is dominated by round-off.
  double min_relative_distance = 1e-10;
};

struct TrajectoryPairs {
  std::vector<SmoothnessPair> pairs;
  Index steps_done = 0;
  Index skipped = 0;      // pairs skipped for a too short step
  bool diverged = false;  // the iterate became non-finite; the trajectory stopped there
};

// Throws Error for alphas outside (0, 1), no alphas, or steps < 1.
void validate(const TrajectoryOptions& options);

// Runs `optimizer` from x (after optimizer.reset(x)) for options.steps steps, drawing
// gradients from `oracle`, and records options.alphas.size() pairs per step.
TrajectoryPairs trajectory_smoothness_pairs(const Problem& problem, optim::Optimizer& optimizer,
                                            GradientOracle& oracle, Vector x,
                                            const TrajectoryOptions& options);

}  // namespace signopt::estimate
