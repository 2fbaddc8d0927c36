#include "signopt/estimate/smoothness_pairs.hpp"

#include <cmath>

#include "signopt/core/error.hpp"

namespace signopt::estimate {

void validate(const TrajectoryOptions& options) {
  require(options.steps >= 1, "smoothness estimate: the number of steps must be >= 1, got {}",
          options.steps);
  require(!options.alphas.empty(), "smoothness estimate: give at least one alpha in (0, 1)");
  for (double a : options.alphas) {
    require(std::isfinite(a) && a > 0.0 && a < 1.0,
            "smoothness estimate: alpha = {} is not in (0, 1) (x_alpha = x_prev + (1 - alpha)"
            "(x_new - x_prev) must lie strictly between the two iterates)",
            a);
  }
  require(options.min_relative_distance >= 0.0,
          "smoothness estimate: the minimum relative distance must be >= 0");
}

TrajectoryPairs trajectory_smoothness_pairs(const Problem& problem, optim::Optimizer& optimizer,
                                            GradientOracle& oracle, Vector x,
                                            const TrajectoryOptions& options) {
  validate(options);
  require(x.size() == problem.dim(),
          "smoothness estimate: the start has {} coordinates, the "
          "problem {}",
          x.size(), problem.dim());
  const Index d = problem.dim();
  const auto n_alpha = static_cast<Index>(options.alphas.size());
  TrajectoryPairs out;
  out.pairs.reserve(static_cast<std::size_t>(options.steps * n_alpha));
  optimizer.reset(x);
  Vector grad_prev;
  problem.gradient(x, grad_prev);
  // Columns: x_α for every α, then x_new, whose gradient is the next step's ∇f(x_prev); all
  // evaluated in one pass (value_and_gradient_many shares the pass over the data).
  Matrix points(d, n_alpha + 1), grads;
  Vector values;
  Vector x_prev;
  for (Index k = 0; k < options.steps; ++k) {
    x_prev = x;
    // With full-gradient sampling the oracle's exact part is ∇f(x_prev), which we hold.
    if (oracle.sampling() == Sampling::Full) oracle.hint_exact_gradient(grad_prev);
    optimizer.step(k + 1, x, oracle);
    if (!x.allFinite() || !grad_prev.allFinite()) {
      out.diverged = true;
      break;
    }
    for (Index a = 0; a < n_alpha; ++a) {
      const double alpha = options.alphas[static_cast<std::size_t>(a)];
      points.col(a) = x_prev + (1.0 - alpha) * (x - x_prev);
    }
    points.col(n_alpha) = x;
    problem.value_and_gradient_many(points, values, grads);
    const double grad_norm = grad_prev.norm();
    const double min_distance = options.min_relative_distance * std::max(1.0, x_prev.norm());
    for (Index a = 0; a < n_alpha; ++a) {
      const double distance = (points.col(a) - x_prev).norm();
      if (!(distance > min_distance)) {
        ++out.skipped;
        continue;
      }
      const double smoothness = (grads.col(a) - grad_prev).norm() / distance;
      if (!std::isfinite(smoothness)) {
        out.diverged = true;
        break;
      }
      out.pairs.push_back(
          {k, options.alphas[static_cast<std::size_t>(a)], grad_norm, smoothness, distance});
    }
    if (out.diverged) break;
    grad_prev = grads.col(n_alpha);
    ++out.steps_done;
  }
  return out;
}

}  // namespace signopt::estimate
