#pragma once
// Multi-class softmax (multinomial logistic) regression:
//   f(W, b) = (1/n) Σ_i [log Σ_k exp(w_kᵀa_i + b_k) − (w_{y_i}ᵀa_i + b_{y_i})] + (λ/2)(‖W‖² + ‖b‖²),
// or, with `intercept`, + (λ/2)‖W‖² only: the per-class biases b act as intercepts and are not
// regularised.
// A DenseNetwork without hidden layers: parameters are W (K×d, column-major) then b (K).
// Convex; the starting point is θ = 0 (all classes equally likely, f(0) = log K).
#include <memory>

#include "signopt/problems/network_classifier_problem.hpp"

namespace signopt {

struct SoftmaxRegressionOptions {
  double l2 = 0.0;                           // λ ≥ 0
  Precision precision = Precision::Float64;  // float64: exact enough for theory experiments
  bool intercept = false;                    // leave the biases b out of the penalty
};

class SoftmaxRegression : public NetworkClassifierProblem {
 public:
  // The number of classes is train->num_classes (2 for binary ±1 data).
  explicit SoftmaxRegression(std::shared_ptr<const Dataset> train,
                             std::shared_ptr<const Dataset> test = nullptr,
                             SoftmaxRegressionOptions options = {});

  std::string name() const override { return "softmax_regression"; }

  // L-smooth with L = ½ max_i (‖a_i‖² + 1) + λ: the Hessian of the cross-entropy in the logits
  // is diag(p) − ppᵀ ≼ ½I (Gershgorin: row k sums to 2p_k(1 − p_k) ≤ ½), and the logits are
  // linear in θ with the input ã_i = (a_i, 1), so ∇²f ≼ ½ max_i ‖ã_i‖² I + λI.
  // Reported as (L0, L1) = (L, 0).
  std::optional<SmoothnessConstants> analytic_constants() const override;

  // Convex (log-sum-exp of linear functions minus a linear one); λ-strongly convex when λ > 0
  // and every parameter (biases included) is penalised. With unpenalised intercepts adding the
  // same constant to every bias leaves f unchanged: no strong convexity, no certified f*.
  bool is_convex() const override { return true; }
  std::optional<double> strong_convexity() const override;
};

}  // namespace signopt
