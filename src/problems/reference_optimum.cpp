#include "signopt/problems/reference_optimum.hpp"

#include <Eigen/Cholesky>
#include <cmath>
#include <deque>
#include <limits>
#include <optional>
#include <vector>

#include "signopt/core/error.hpp"
#include "signopt/problems/problem.hpp"

namespace signopt {
namespace {

// Armijo sufficient-decrease constant and the number of halvings before a line search gives up.
constexpr double kArmijo = 1e-4;
constexpr int kMaxHalvings = 80;
// Pairs (s, y) kept by L-BFGS.
constexpr std::size_t kLbfgsMemory = 20;

// The stopping rule: for a μ-strongly convex f, f(x) − f* ≤ ‖∇f(x)‖²/(2μ) (minimise the
// quadratic lower bound f(y) ≥ f(x) + ∇f(x)ᵀ(y − x) + μ/2‖y − x‖² over y).
struct Certificate {
  double mu;
  double tolerance;
  double gap_bound(double gradient_norm) const { return gradient_norm * gradient_norm / (2 * mu); }
  bool met(double f, double gradient_norm) const {
    return gap_bound(gradient_norm) <= tolerance * std::abs(f);
  }
};

struct Iterate {
  Vector x;
  double f = 0;
  Vector g;
};

// Backtracking from step t0 along a descent direction until
//   f(x + t·dir) ≤ f(x) + c·t·∇f(x)ᵀdir + slack,
// where slack = 8·eps·|f(x)| absorbs the rounding of f itself: near the optimum the true decrease
// is below what a double can resolve and a strict Armijo test would reject every step.
// Returns false when no step down to t0·2^-kMaxHalvings passes.
bool backtrack(const Problem& problem, Iterate& it, const Vector& dir, double t0) {
  const double slope = it.g.dot(dir);
  const double slack = 8 * std::numeric_limits<double>::epsilon() * std::abs(it.f);
  Iterate trial;
  trial.g.resize(it.x.size());
  double t = t0;
  for (int k = 0; k < kMaxHalvings; ++k, t *= 0.5) {
    trial.x = it.x + t * dir;
    trial.f = problem.value_and_gradient(trial.x, trial.g);
    if (std::isfinite(trial.f) && trial.g.allFinite() &&
        trial.f <= it.f + kArmijo * t * slope + slack) {
      it = std::move(trial);
      return true;
    }
  }
  return false;
}

std::string describe_certificate(const Certificate& c, double f, double gradient_norm) {
  const double bound = c.gap_bound(gradient_norm);
  return fmt::format(
      "||grad f(x*)|| = {:.3g}, so f(x*) - f* <= ||grad f||^2/(2 mu) = {:.3g} (mu = {:g}, the "
      "strong-convexity modulus), i.e. {:.3g} relative, plus the rounding of f itself (~1e-16 "
      "relative in double precision)",
      gradient_norm, bound, c.mu, f != 0 ? bound / std::abs(f) : bound);
}

[[noreturn]] void fail_unconverged(const Problem& problem, const char* method, const Iterate& it,
                                   const Certificate& c, Index iterations, const char* why) {
  const double gn = it.g.norm();
  fail(
      "reference solve of f* for {}: {} {} after {} iterations at ||grad f|| = {:.3g}, where the "
      "certificate ||grad f||^2/(2 mu) = {:.3g} is still above {:g}·|f| = {:.3g}",
      problem.name(), method, why, iterations, gn, c.gap_bound(gn), c.tolerance,
      c.tolerance * std::abs(it.f));
}

ReferenceOptimum finish(const Problem& problem, const char* method, const char* label, Iterate it,
                        Index iterations, const Certificate& c) {
  ReferenceOptimum r;
  // f* as Problem::value computes it (value_and_gradient may differ in the last bits), so that
  // f(x*) − f* is exactly 0 for whoever evaluates f at x*.
  r.value = problem.value(it.x);
  r.gradient_norm = it.g.norm();
  r.point = std::move(it.x);
  r.iterations = iterations;
  r.method = method;
  r.note = fmt::format("{}, {} iterations: {}", label, iterations,
                       describe_certificate(c, r.value, r.gradient_norm));
  return r;
}

// `hessian` holds ∇²f at the start point (computed once by the caller to choose the method).
ReferenceOptimum newton(const Problem& problem, Iterate it, std::optional<Matrix> hessian,
                        const Certificate& c, Index max_iterations) {
  for (Index k = 0;; ++k) {
    if (c.met(it.f, it.g.norm())) {
      return finish(problem, "newton", "Newton's method with the exact Hessian and backtracking",
                    std::move(it), k, c);
    }
    if (k == max_iterations)
      fail_unconverged(problem, "Newton's method", it, c, k, "stopped at max_iterations");
    const auto h = k == 0 ? std::move(hessian) : problem.dense_hessian(it.x);
    require(h.has_value(),
            "reference solve of f* for {}: the problem has no dense Hessian at this size",
            problem.name());
    const Eigen::LLT<Matrix> llt(*h);
    require(llt.info() == Eigen::Success,
            "reference solve of f* for {}: the Hessian is not positive definite (Cholesky failed)",
            problem.name());
    const Vector dir = -llt.solve(it.g);
    if (!backtrack(problem, it, dir, 1.0)) {
      fail_unconverged(problem, "Newton's method", it, c, k,
                       "found no decreasing step (f is not evaluated accurately enough)");
    }
  }
}

// Two-loop recursion: r ≈ H⁻¹q with the initial scaling γ = sᵀy/yᵀy of the newest pair.
Vector lbfgs_direction(const Vector& g, const std::deque<Vector>& s, const std::deque<Vector>& y,
                       const std::deque<double>& rho) {
  Vector q = g;
  std::vector<double> alpha(s.size());
  for (std::size_t i = s.size(); i-- > 0;) {
    alpha[i] = rho[i] * s[i].dot(q);
    q -= alpha[i] * y[i];
  }
  if (!s.empty()) q *= s.back().dot(y.back()) / y.back().squaredNorm();
  for (std::size_t i = 0; i < s.size(); ++i) {
    const double beta = rho[i] * y[i].dot(q);
    q += (alpha[i] - beta) * s[i];
  }
  return -q;
}

ReferenceOptimum lbfgs(const Problem& problem, Iterate it, const Certificate& c,
                       Index max_iterations) {
  std::deque<Vector> s, y;
  std::deque<double> rho;
  for (Index k = 0;; ++k) {
    const double gn = it.g.norm();
    if (c.met(it.f, gn))
      return finish(problem, "l-bfgs", "L-BFGS (memory 20, backtracking Armijo)", std::move(it), k,
                    c);
    if (k == max_iterations)
      fail_unconverged(problem, "L-BFGS", it, c, k, "stopped at max_iterations");
    Vector dir = lbfgs_direction(it.g, s, y, rho);
    // Without curvature pairs the first step is scaled to length 1.
    double t0 = s.empty() ? 1.0 / gn : 1.0;
    if (!(it.g.dot(dir) < 0)) {
      s.clear(), y.clear(), rho.clear();
      dir = -it.g;
      t0 = 1.0 / gn;
    }
    const Vector x_old = it.x, g_old = it.g;
    if (!backtrack(problem, it, dir, t0)) {
      // The quasi-Newton direction may be poor; retry once along −∇f with a fresh memory.
      if (s.empty() || !backtrack(problem, it, -it.g, 1.0 / gn)) {
        fail_unconverged(problem, "L-BFGS", it, c, k,
                         "found no decreasing step (f is not evaluated accurately enough)");
      }
      s.clear(), y.clear(), rho.clear();
    }
    Vector sk = it.x - x_old, yk = it.g - g_old;
    const double sy = sk.dot(yk);
    // Keep the pair only with positive curvature (always true for strongly convex f in exact
    // arithmetic; rounding can break it at the last steps).
    if (sy > std::numeric_limits<double>::epsilon() * sk.norm() * yk.norm()) {
      if (s.size() == kLbfgsMemory) s.pop_front(), y.pop_front(), rho.pop_front();
      s.push_back(std::move(sk));
      y.push_back(std::move(yk));
      rho.push_back(1.0 / sy);
    }
  }
}

}  // namespace

ReferenceOptimum solve_reference_optimum(const Problem& problem, const Vector& start,
                                         const ReferenceSolveOptions& options) {
  require(
      problem.is_convex(),
      "f* cannot be computed for {}: the problem is not convex, so a stationary point found by a "
      "local solver need not be the minimum",
      problem.name());
  require(std::isfinite(options.relative_tolerance) && options.relative_tolerance > 0,
          "reference solve: relative_tolerance must be finite and > 0, got {}",
          options.relative_tolerance);
  require(options.max_iterations >= 0, "reference solve: max_iterations must be >= 0, got {}",
          options.max_iterations);
  if (auto closed = problem.closed_form_optimum()) {
    Vector g;
    problem.gradient(closed->point, g);
    closed->gradient_norm = g.norm();
    return *closed;
  }
  const auto mu = problem.strong_convexity();
  require(
      mu.has_value() && *mu > 0,
      "f* cannot be computed for {}: it is not strongly convex (lambda = 0), so it may have no "
      "minimiser (on separable data f only approaches its infimum as ||x|| grows without bound) "
      "and no reference solve can certify its accuracy; use lambda > 0",
      problem.name());
  require(start.size() == problem.dim(),
          "reference solve: start point has {} entries, the problem {}", start.size(),
          problem.dim());
  require(start.allFinite(), "reference solve: start point has non-finite entries");
  Iterate it;
  it.x = start;
  it.f = problem.value_and_gradient(it.x, it.g);
  require(std::isfinite(it.f) && it.g.allFinite(),
          "reference solve of f* for {}: f or its gradient is not finite at the start point",
          problem.name());
  const Certificate certificate{*mu, options.relative_tolerance};

  // Newton where the problem has a dense Hessian (unless L-BFGS is asked for).
  std::optional<Matrix> hessian;
  if (options.method != ReferenceMethod::lbfgs) hessian = problem.dense_hessian(it.x);
  require(
      hessian.has_value() || options.method != ReferenceMethod::newton,
      "reference solve of f* for {}: Newton's method was requested but the problem has no dense "
      "Hessian at dimension {}",
      problem.name(), problem.dim());
  if (hessian)
    return newton(problem, std::move(it), std::move(hessian), certificate, options.max_iterations);
  return lbfgs(problem, std::move(it), certificate, options.max_iterations);
}

}  // namespace signopt
