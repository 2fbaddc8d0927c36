#include "signopt/problems/quadratic.hpp"

#include <Eigen/Eigenvalues>

#include "signopt/core/error.hpp"

namespace signopt {
namespace {

void fill_defaults(Index d, Vector& minimizer, Vector& start) {
  if (minimizer.size() == 0) minimizer = Vector::Zero(d);
  if (start.size() == 0) start = Vector::Ones(d);
  require(minimizer.size() == d, "quadratic: minimizer has {} entries, expected {}",
          minimizer.size(), d);
  require(start.size() == d, "quadratic: start point has {} entries, expected {}", start.size(), d);
}

}  // namespace

Quadratic::Quadratic(Matrix a, Vector minimizer, Vector start)
    : a_(std::move(a)), minimizer_(std::move(minimizer)), start_(std::move(start)) {
  require(a_.rows() >= 1 && a_.rows() == a_.cols(), "quadratic: A must be square, got {}×{}",
          a_.rows(), a_.cols());
  require(a_.allFinite(), "quadratic: A has non-finite entries");
  require((a_ - a_.transpose()).cwiseAbs().maxCoeff() <= 1e-12 * (1.0 + a_.cwiseAbs().maxCoeff()),
          "quadratic: A must be symmetric");
  Eigen::SelfAdjointEigenSolver<Matrix> eig(a_, Eigen::EigenvaluesOnly);
  require(eig.eigenvalues().minCoeff() >= -1e-12 * (1.0 + eig.eigenvalues().cwiseAbs().maxCoeff()),
          "quadratic: A must be positive semi-definite (smallest eigenvalue {})",
          eig.eigenvalues().minCoeff());
  lambda_max_ = eig.eigenvalues().maxCoeff();
  d_ = a_.rows();
  fill_defaults(d_, minimizer_, start_);
}

Quadratic Quadratic::diagonal(const Vector& eigenvalues, Vector minimizer, Vector start) {
  require(eigenvalues.size() >= 1, "quadratic: dimension must be at least 1");
  require(eigenvalues.allFinite() && (eigenvalues.array() >= 0).all(),
          "quadratic: diagonal entries must be finite and non-negative");
  Quadratic q;
  q.d_ = eigenvalues.size();
  q.diagonal_ = true;
  q.diag_ = eigenvalues;
  q.lambda_max_ = eigenvalues.maxCoeff();
  q.minimizer_ = std::move(minimizer);
  q.start_ = std::move(start);
  fill_defaults(q.d_, q.minimizer_, q.start_);
  return q;
}

double Quadratic::value(const Vector& x) const {
  const Vector r = x - minimizer_;
  if (diagonal_) return 0.5 * r.dot(diag_.cwiseProduct(r));
  return 0.5 * r.dot(a_ * r);
}

void Quadratic::gradient(const Vector& x, Vector& grad) const {
  if (diagonal_) {
    grad = diag_.cwiseProduct(x - minimizer_);
  } else {
    grad.noalias() = a_ * (x - minimizer_);
  }
}

std::optional<SmoothnessConstants> Quadratic::analytic_constants() const {
  return SmoothnessConstants{lambda_max_, 0.0, lambda_max_, "L = λ_max(A); L1 = 0"};
}

std::optional<ReferenceOptimum> Quadratic::closed_form_optimum() const {
  ReferenceOptimum opt;
  opt.value = 0.0;
  opt.point = minimizer_;
  opt.method = "closed form";
  opt.note = "closed form: f* = 0 at x*, the minimiser in the definition f(x) = (x - x*)^T A (x - x*)/2";
  return opt;
}

}  // namespace signopt
