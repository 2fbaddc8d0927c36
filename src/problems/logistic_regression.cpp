#include "signopt/problems/logistic_regression.hpp"

#include <cmath>

#include "signopt/core/error.hpp"

namespace signopt {
namespace {

SparseMatrix as_sparse(const Dataset& data) {
  if (data.is_sparse()) return data.sparse();
  return data.dense().sparseView();
}

}  // namespace

LogisticRegression::LogisticRegression(std::shared_ptr<const Dataset> train, double lambda,
                                       std::shared_ptr<const Dataset> test, bool intercept)
    : train_(std::move(train)), test_(std::move(test)), lambda_(lambda), intercept_(intercept) {
  require(train_ != nullptr && train_->rows() > 0, "logistic regression needs training data");
  require(train_->label_kind == LabelKind::Binary,
          "logistic regression needs binary labels, but {} has {} classes", train_->source,
          train_->num_classes);
  require(std::isfinite(lambda) && lambda >= 0, "lambda must be finite and ≥ 0, got {}", lambda);
  d_ = train_->cols();
  require(!intercept_ || d_ >= 1, "logistic regression with an intercept needs its constant feature");
  if (test_ != nullptr) {
    require(test_->cols() == d_, "test set has {} features, training set {}", test_->cols(), d_);
    require(test_->label_kind == LabelKind::Binary, "test set labels must be binary");
    test_data_.emplace(as_sparse(*test_), test_->labels);
  }
  train_data_.emplace(as_sparse(*train_), train_->labels);
  r_ = train_->max_row_norm();
}

double LogisticRegression::value(const Vector& w) const {
  const auto out = logistic_sums(*train_data_, RowMatrix(w), {}, false);
  return out.loss[0] / static_cast<double>(train_->rows()) + regularizer(w);
}

double LogisticRegression::regularizer(const Vector& w) const {
  // With an intercept its weight (the last coordinate) is not regularised.
  return intercept_ ? 0.5 * lambda_ * w.head(d_ - 1).squaredNorm() : 0.5 * lambda_ * w.squaredNorm();
}

void LogisticRegression::gradient(const Vector& w, Vector& grad) const {
  (void)value_and_gradient(w, grad);
}

double LogisticRegression::value_and_gradient(const Vector& w, Vector& grad) const {
  const auto out =
      logistic_sums(*train_data_, RowMatrix(w), {}, true);
  const double inv_n = 1.0 / static_cast<double>(train_->rows());
  grad = out.gradient.col(0) * inv_n + lambda_ * w;
  if (intercept_) grad[d_ - 1] = out.gradient(d_ - 1, 0) * inv_n;
  return out.loss[0] * inv_n + regularizer(w);
}

void LogisticRegression::value_and_gradient_many(const Matrix& points, Vector& values,
                                                 Matrix& grads, ThreadTeam* team) const {
  TrainingMetrics unused;
  many_pass(points, values, grads, unused, false, team);
}

void LogisticRegression::evaluate_training_pass(const Matrix& points, Vector& values, Matrix& grads,
                                                TrainingMetrics& train, ThreadTeam* team) const {
  many_pass(points, values, grads, train, true, team);
}

void LogisticRegression::many_pass(const Matrix& points, Vector& values, Matrix& grads,
                                   TrainingMetrics& train, bool with_accuracy, ThreadTeam* team) const {
  require(points.rows() == d_, "points have dimension {}, the problem {}", points.rows(), d_);
  const Index m = points.cols();
  const auto out =
      logistic_sums(*train_data_, RowMatrix(points), {}, true, team, with_accuracy);
  const double inv_n = 1.0 / static_cast<double>(train_->rows());
  values.resize(m);
  grads.resize(d_, m);
  train.data_loss.resize(m);
  train.accuracy.resize(with_accuracy ? m : 0);
  for (Index j = 0; j < m; ++j) {
    grads.col(j) = out.gradient.col(j) * inv_n + lambda_ * points.col(j);
    if (intercept_) grads(d_ - 1, j) = out.gradient(d_ - 1, j) * inv_n;
    train.data_loss[j] = out.loss[j] * inv_n;
    // The regulariser on the column itself (no copy into a Vector per point and pass).
    const auto reg = points.col(j).head(intercept_ ? d_ - 1 : d_);
    values[j] = train.data_loss[j] + 0.5 * lambda_ * reg.squaredNorm();
    if (with_accuracy) train.accuracy[j] = out.correct[j] * inv_n;
  }
}

double LogisticRegression::minibatch_gradient(const Vector& w, std::span<const Index> samples,
                                              Vector& grad) const {
  require(!samples.empty(), "minibatch is empty");
  for (Index i : samples) {
    require(i >= 0 && i < train_->rows(), "sample index {} is outside [0, {})", i, train_->rows());
  }
  const auto out =
      logistic_sums(*train_data_, RowMatrix(w), samples, true);
  grad = out.gradient.col(0) / static_cast<double>(samples.size()) + lambda_ * w;
  if (intercept_) grad[d_ - 1] = out.gradient(d_ - 1, 0) / static_cast<double>(samples.size());
  return out.loss[0] / static_cast<double>(samples.size());
}

std::vector<Metric> LogisticRegression::test_metrics(const Vector& w) const {
  const Matrix points = w;
  auto many = test_metrics_many(points);
  return many.front();
}

std::vector<std::vector<Metric>> LogisticRegression::test_metrics_many(const Matrix& points,
                                                                       ThreadTeam* team) const {
  if (test_ == nullptr) return std::vector<std::vector<Metric>>(static_cast<std::size_t>(points.cols()));
  const auto out =
      logistic_sums(*test_data_, RowMatrix(points), {}, false, team);
  const double inv_n = 1.0 / static_cast<double>(test_->rows());
  std::vector<std::vector<Metric>> result;
  for (Index j = 0; j < points.cols(); ++j) {
    result.push_back({{"test_loss", out.loss[j] * inv_n}, {"test_accuracy", out.correct[j] * inv_n}});
  }
  return result;
}

std::optional<double> LogisticRegression::strong_convexity() const {
  // An unregularised intercept leaves one direction without the λ-curvature: no global modulus.
  if (lambda_ > 0 && !intercept_) return lambda_;
  return std::nullopt;
}

std::optional<Matrix> LogisticRegression::dense_hessian(const Vector& w) const {
  require(w.size() == d_, "point has dimension {}, the problem {}", w.size(), d_);
  if (d_ > kMaxDenseHessianDim) return std::nullopt;
  const SparseMatrix& a = train_data_->matrix();
  const Vector margins = a * w;
  Matrix h = Matrix::Zero(d_, d_);
  // Row by row, the weight σ(t)(1 − σ(t)) = e^{−|t|}/(1 + e^{−|t|})² (even in t, no overflow)
  // times the outer product of the row's nonzeros; only the lower triangle is accumulated.
  for (Index i = 0; i < a.outerSize(); ++i) {
    const double e = std::exp(-std::abs(margins[i]));
    const double weight = e / ((1.0 + e) * (1.0 + e));
    for (SparseMatrix::InnerIterator p(a, i); p; ++p) {
      const double wp = weight * p.value();
      for (SparseMatrix::InnerIterator q(a, i); q && q.col() <= p.col(); ++q) {
        h(p.col(), q.col()) += wp * q.value();
      }
    }
  }
  h /= static_cast<double>(train_->rows());
  h.diagonal().head(intercept_ ? d_ - 1 : d_).array() += lambda_;
  return Matrix(h.selfadjointView<Eigen::Lower>());
}

double LogisticRegression::gram_lambda_max() const {
  std::call_once(gram_once_, [&] {
    const auto gram_times = [&](const Vector& v) {
      return visit_features(*train_, [&](const auto& a) -> Vector { return a.transpose() * (a * v); });
    };
    // The all-ones start has a component along the top eigenvector for non-negative features
    // (Perron); the small ramp guards against a start orthogonal to it for signed features.
    Vector v = Vector::Ones(d_) + 1e-3 * Vector::LinSpaced(d_, 0.0, 1.0);
    v.normalize();
    double bound = 0.0;
    for (int it = 0; it < 10000; ++it) {
      const Vector w = gram_times(v);
      const double rho = v.dot(w);
      const double residual = (w - rho * v).norm();
      bound = rho + residual;
      const double norm = w.norm();
      if (norm == 0.0) {  // AᵀA v = 0 with v ≠ 0 only when A = 0 on this direction
        bound = 0.0;
        break;
      }
      if (residual <= 1e-10 * rho) break;
      v = w / norm;
    }
    gram_lambda_max_ = bound;
  });
  return gram_lambda_max_;
}

std::optional<SmoothnessConstants> LogisticRegression::analytic_constants() const {
  const double L = gram_lambda_max() / (4.0 * static_cast<double>(train_->rows())) + lambda_;
  return SmoothnessConstants{L, 0.0, L,
                             "proved: ‖∇²f‖ ≤ λ_max(AᵀA)/(4n) + λ (σ' ≤ 1/4), λ_max by power "
                             "iteration; (L0, L1) = (L, 0)"};
}

SmoothnessConstants LogisticRegression::seed_constants() const {
  return SmoothnessConstants{lambda_, r_ + lambda_, r_ * r_ + lambda_,
                             "the seed's heuristic, not valid for the average loss: R = max‖a_i‖₂, "
                             "L = R² + λ, L1 = R + λ, L0 = λ"};
}

}  // namespace signopt
