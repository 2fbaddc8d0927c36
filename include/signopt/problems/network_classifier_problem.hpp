#pragma once
// A classification network trained on a data set: the finite sum
//   f(θ) = (1/n) Σ_i ℓ(z_θ(a_i), y_i) + (λ/2)‖θ‖²
// with ℓ the softmax cross-entropy of DenseNetwork and λ ≥ 0 an optional L2 penalty on every
// parameter (weights and biases). The common base of SoftmaxRegression and Mlp.
//
// Data: a multi-class Dataset (class ids 0..K−1) or a binary one (labels ±1 become classes
// 0 for −1 and 1 for +1). Sparse features are densified once at construction. With
// Precision::Float32 the problem keeps a float copy of the features and does not hold on to
// the Dataset; with Float64 and dense features it reads the Dataset in place.
//
// Passes over the whole training set run in chunks of kChunkRows samples so the activation
// buffers stay bounded (a few MB) whatever n is. Minibatch gradients gather the selected rows
// into one contiguous block and run batched matrix products on it.
//
// Thread safety: every const method may be called concurrently from several threads on one
// instance. Scratch buffers are thread_local (one set per thread and precision, reused across
// calls and instances, grown on demand and kept for the thread's lifetime), so steady-state
// calls allocate nothing proportional to the data or the network.
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "signopt/data/dataset.hpp"
#include "signopt/problems/dense_network.hpp"
#include "signopt/problems/problem.hpp"

namespace signopt {

class NetworkClassifierProblem : public Problem {
 public:
  static constexpr Index kChunkRows = 1024;

  // train must be non-empty; test may be null (then test_metrics() is empty). The network's
  // input size must equal the number of features and its output size the number of classes.
  NetworkClassifierProblem(DenseNetwork network, std::shared_ptr<const Dataset> train,
                           std::shared_ptr<const Dataset> test, double l2, Precision precision);

  Index dim() const override { return network_.num_parameters(); }
  Index num_samples() const override { return train_.rows; }

  double value(const Vector& x) const override;
  void gradient(const Vector& x, Vector& grad) const override;
  double value_and_gradient(const Vector& x, Vector& grad) const override;
  // One pass over the data for all m points: each chunk of samples is gathered once and
  // used for every point while it is in cache.
  void value_and_gradient_many(const Matrix& points, Vector& values, Matrix& grads,
                               ThreadTeam* team = nullptr) const override;
  // value_and_gradient_many plus the data loss and training accuracy of the same pass.
  void evaluate_training_pass(const Matrix& points, Vector& values, Matrix& grads,
                              TrainingMetrics& train, ThreadTeam* team = nullptr) const override;
  bool has_train_accuracy() const override { return true; }
  double regularizer(const Vector& x) const override;
  double minibatch_gradient(const Vector& x, std::span<const Index> samples,
                            Vector& grad) const override;

  // "test_loss" (mean cross-entropy, without the L2 term) and "test_accuracy" (fraction of
  // test samples whose largest logit is the true class; ties go to the lowest class id).
  std::vector<Metric> test_metrics(const Vector& x) const override;

  // Cross-entropy and λ/2‖θ‖² are non-negative.
  std::optional<double> lower_bound() const override { return 0.0; }

  // Accuracy on the training set (a full forward pass).
  double train_accuracy(const Vector& x) const;

  const DenseNetwork& network() const { return network_; }
  double l2() const { return l2_; }
  Precision precision() const { return precision_; }
  int num_classes() const { return static_cast<int>(network_.num_classes()); }
  bool has_test_set() const { return test_.has_value(); }

 protected:
  // Largest squared row norm of the training features (for smoothness bounds).
  double max_squared_row_norm() const;
  // The last `tail` parameters are left out of the L2 penalty (softmax's intercepts).
  void leave_unregularized(Index tail);
  Index unregularized_tail() const { return unregularized_tail_; }

 private:
  // Features of one split as a d×n column-major block (one sample per column) plus class ids.
  struct Split {
    Index rows = 0;
    Index cols = 0;
    std::vector<int> labels;
    Eigen::MatrixXf float_features;  // Float32 precision
    Matrix owned_double_features;    // Float64 precision with sparse input
    const double* double_features = nullptr;
    std::shared_ptr<const Dataset> keep_alive;  // Float64 precision reading the Dataset in place

    template <typename Scalar>
    const Scalar* features() const;
  };

  Split make_split(const std::shared_ptr<const Dataset>& data, const char* role) const;
  void check_point(const Vector& x) const;

  // Loss sums (and gradients of (1/count) Σ ℓ, when grads is non-empty) at several points
  // over the given rows of a split (all rows when rows is empty).
  template <typename Scalar>
  std::vector<BatchLoss> evaluate_points(const Split& split,
                                         std::optional<std::span<const Index>> rows,
                                         std::span<const double* const> points,
                                         std::span<double* const> grads) const;
  std::vector<BatchLoss> evaluate(const Split& split, std::optional<std::span<const Index>> rows,
                                  std::span<const double* const> points,
                                  std::span<double* const> grads) const;

  // grad += λ x over the regularised parameters.
  void add_l2_gradient(const Vector& x, Vector& grad) const;

  DenseNetwork network_;
  double l2_;
  Index unregularized_tail_ = 0;
  Precision precision_;
  Split train_;
  std::optional<Split> test_;
};

}  // namespace signopt
