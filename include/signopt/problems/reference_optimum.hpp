#pragma once
// f* = min f by a reference solve, for the suboptimality f − f* of convex problems
// (docs/theory.md, "f* and suboptimality").
//
// Order of attempts: the problem's closed form (quadratic, quartic); Newton's method with the
// exact Hessian where the problem provides one cheaply (logistic regression with d ≤ 2000);
// otherwise L-BFGS. The iterative solves stop only on a certificate: for a μ-strongly convex f,
// f(x) − f* ≤ ‖∇f(x)‖²/(2μ), and the solve ends when that bound is ≤ tol·|f(x)|. Problems
// without a strong-convexity modulus (λ = 0) are refused rather than solved to an accuracy
// nobody can state.
#include <string>

#include "signopt/core/types.hpp"

namespace signopt {

class Problem;

struct ReferenceOptimum {
  double value = 0;          // f*
  Vector point;              // x*
  double gradient_norm = 0;  // ‖∇f(x*)‖₂ at the end of the solve
  Index iterations = 0;
  std::string method;  // "closed form", "newton", "l-bfgs"
  std::string note;    // one line a report can print: how f* was obtained and its accuracy
};

// Which algorithm an iterative solve uses. `automatic`: Newton where the problem has a dense
// Hessian, L-BFGS otherwise. Forcing `newton` on a problem without a Hessian is an error.
enum class ReferenceMethod { automatic, newton, lbfgs };

struct ReferenceSolveOptions {
  double relative_tolerance = 1e-12;  // stop when ‖∇f‖²/(2μ) ≤ relative_tolerance·|f|
  Index max_iterations = 10000;
  ReferenceMethod method = ReferenceMethod::automatic;
};

// f* = min f by a reference solve, for problems that report is_convex(); an Error
// (signopt::fail) naming why when it cannot be computed (non-convex, no strong convexity — e.g.
// λ = 0, where separable data has no minimiser — or no convergence within max_iterations).
// `start` must have the problem's dimension; it is ignored when the problem has a closed form.
ReferenceOptimum solve_reference_optimum(const Problem& problem, const Vector& start,
                                         const ReferenceSolveOptions& options = {});

}  // namespace signopt
