#pragma once
// L2-regularised binary logistic regression (docs/logistic-regression.md):
//   f(w) = (1/n) Σ_i log(1 + exp(−y_i a_iᵀw)) + (λ/2)‖w‖²,   y_i ∈ {−1, +1},
// on dense or CSR-sparse features.
//
// Numerics: log(1 + e^t) is evaluated as max(t, 0) + log1p(e^{−|t|}) and its derivative σ(t)
// from the same e^{−|t|}, so no margin overflows.
//
// Determinism: value, gradient, minibatch gradient and the many-point variants all run one
// kernel in which every point (column) goes through exactly the same floating-point
// operations whatever the number of points evaluated together, so a run gives bit-identical
// results whether the runner batches it with other runs or not.
#include <memory>
#include <mutex>
#include <optional>

#include "signopt/data/dataset.hpp"
#include "signopt/problems/logistic_kernel.hpp"
#include "signopt/problems/problem.hpp"

namespace signopt {

class LogisticRegression final : public Problem {
 public:
  // `train` must be a binary data set; `test` (optional) must have the same number of features.
  // With `intercept`, the last feature is the constant 1 (with_constant_feature) and its weight
  // is left out of the regulariser: f(w) = (1/n) Σ ℓ_i(w) + (λ/2)‖w_{1..d−1}‖².
  LogisticRegression(std::shared_ptr<const Dataset> train, double lambda,
                     std::shared_ptr<const Dataset> test = nullptr, bool intercept = false);

  std::string name() const override { return "logistic-regression"; }
  Index dim() const override { return d_; }
  Index num_samples() const override { return train_->rows(); }

  double value(const Vector& w) const override;
  void gradient(const Vector& w, Vector& grad) const override;
  double value_and_gradient(const Vector& w, Vector& grad) const override;
  void value_and_gradient_many(const Matrix& points, Vector& values, Matrix& grads,
                               ThreadTeam* team = nullptr) const override;
  bool splits_passes() const override { return true; }
  double minibatch_gradient(const Vector& w, std::span<const Index> samples,
                            Vector& grad) const override;
  // test_loss (the unregularised mean logistic loss) and test_accuracy (sign(a·w) = y, with
  // sign(0) counted as +1) on the test set; empty without one.
  std::vector<Metric> test_metrics(const Vector& w) const override;
  std::vector<std::vector<Metric>> test_metrics_many(const Matrix& points,
                                                     ThreadTeam* team = nullptr) const override;

  // Constants proved valid for f: ∇²f = (1/n) Σ σ'(·) a_i a_iᵀ + λI with σ' ≤ 1/4, so f is
  // L-smooth with L = λ_max(AᵀA)/(4n) + λ; (L0, L1) = (L, 0). λ_max by power iteration
  // (gram_lambda_max()).
  std::optional<SmoothnessConstants> analytic_constants() const override;
  // The seed's heuristic (docs/estimate.md): R = max_i ‖a_i‖₂,
  // L = R² + λ, L1 = R + λ, L0 = λ. Valid per sample (‖∇²ℓ_i‖ ≤ ‖a_i‖ ‖∇ℓ_i‖), NOT for the
  // average loss: at the minimiser ∇f = 0 while ‖∇²f‖ > λ whenever the data have curvature.
  SmoothnessConstants seed_constants() const;
  // λ_max(AᵀA) of the training features: power iteration from the all-ones direction until the
  // Rayleigh quotient ρ has relative residual ‖AᵀAv − ρv‖ ≤ 1e-10 ρ (at most 10000 products);
  // returns ρ + ‖AᵀAv − ρv‖, an upper bound on the eigenvalue the iteration converged to.
  // Computed once, on first use.
  double gram_lambda_max() const;
  std::optional<double> lower_bound() const override { return 0.0; }

  // Convex; λ-strongly convex when λ > 0 (with λ = 0 separable data has no minimiser).
  bool is_convex() const override { return true; }
  std::optional<double> strong_convexity() const override;
  // ∇²f(w) = (1/n) Σ_i σ(a_iᵀw)(1 − σ(a_iᵀw)) a_i a_iᵀ + λI, formed densely for d ≤
  // kMaxDenseHessianDim (absent above: a d×d matrix and its factorisation would dominate).
  static constexpr Index kMaxDenseHessianDim = 2000;
  std::optional<Matrix> dense_hessian(const Vector& w) const override;

  double regularizer(const Vector& w) const override;
  // Data term and training accuracy from the same pass as values and gradients.
  void evaluate_training_pass(const Matrix& points, Vector& values, Matrix& grads,
                              TrainingMetrics& train, ThreadTeam* team = nullptr) const override;
  bool has_train_accuracy() const override { return true; }

  double lambda() const { return lambda_; }
  bool intercept() const { return intercept_; }
  double max_row_norm() const { return r_; }
  const Dataset& train() const { return *train_; }
  const Dataset* test() const { return test_.get(); }

 private:
  // One pass over the training rows for all points; the training accuracy only when asked.
  void many_pass(const Matrix& points, Vector& values, Matrix& grads, TrainingMetrics& train,
                 bool with_accuracy, ThreadTeam* team) const;

  std::shared_ptr<const Dataset> train_, test_;
  // Features and labels prepared for the kernel (logistic_kernel.hpp).
  std::optional<LogisticKernelData> train_data_, test_data_;
  double lambda_;
  bool intercept_ = false;
  Index d_;
  double r_;
  mutable std::once_flag gram_once_;
  mutable double gram_lambda_max_ = 0.0;
};

}  // namespace signopt
