#include "signopt/problems/logistic_regression.hpp"

#include <cmath>
#include <numeric>

#include "signopt/core/error.hpp"

namespace signopt {
namespace {

// Points are processed in lanes padded to a multiple of kLane so that every point goes
// through the vectorised code path, whatever the number of points (see the header).
constexpr Index kLane = 8;
Index padded(Index m) { return (m + kLane - 1) / kLane * kLane; }

using LaneArray = Eigen::Array<double, Eigen::Dynamic, 1>;

// Row access for sparse and dense matrices: calls f(column, value) for the row's entries.
template <typename F>
void for_each_in_row(const SparseMatrix& a, Index i, F&& f) {
  const auto* outer = a.outerIndexPtr();
  const auto* inner = a.innerIndexPtr();
  const double* vals = a.valuePtr();
  for (auto p = outer[i]; p < outer[i + 1]; ++p) f(static_cast<Index>(inner[p]), vals[p]);
}
template <typename F>
void for_each_in_row(const RowMatrix& a, Index i, F&& f) {
  const double* row = a.data() + i * a.cols();
  for (Index j = 0; j < a.cols(); ++j) f(j, row[j]);
}

struct KernelOutput {
  LaneArray loss_sum;  // Σ_i log(1 + e^{−y_i a_iᵀw}) per lane
  LaneArray correct;   // number of rows with sign(a_iᵀw) = y_i per lane
  RowMatrix grad_sum;  // Σ_i −y_i σ(−y_i a_iᵀw) a_i, d × lanes (only when asked)
};

// One pass over the rows `rows` (or all rows when null) of `a` for the lane-padded points W
// (d × mp, row-major: a feature's values for all points are contiguous).
template <typename Mat>
KernelOutput logistic_pass(const Mat& a, const Eigen::VectorXi& labels, const RowMatrix& w,
                           const std::span<const Index>* rows, bool want_gradient) {
  const Index mp = w.cols();
  const Index d = w.rows();
  KernelOutput out;
  out.loss_sum = LaneArray::Zero(mp);
  out.correct = LaneArray::Zero(mp);
  if (want_gradient) out.grad_sum = RowMatrix::Zero(d, mp);
  LaneArray z(mp), t(mp), e(mp), s(mp);
  const Index count = rows != nullptr ? static_cast<Index>(rows->size()) : a.rows();
  for (Index r = 0; r < count; ++r) {
    const Index i = rows != nullptr ? (*rows)[static_cast<std::size_t>(r)] : r;
    double* zp = z.data();
    for (Index k = 0; k < mp; ++k) zp[k] = 0.0;
    for_each_in_row(a, i, [&](Index j, double v) {
      const double* wj = w.data() + j * mp;
      for (Index k = 0; k < mp; ++k) zp[k] += v * wj[k];
    });
    const double y = labels[i];
    t = -y * z;  // loss term log(1 + e^t)
    e = (-t.abs()).exp();
    out.loss_sum += t.max(0.0) + e.log1p();
    out.correct += ((z >= 0.0) == (y > 0)).template cast<double>();
    if (want_gradient) {
      // d/dz log(1 + e^{−yz}) = −y σ(t), σ(t) = 1/(1+e^{−t}).
      s = (t >= 0.0).select(1.0 / (1.0 + e), e / (1.0 + e));
      s *= -y;
      const double* sp = s.data();
      for_each_in_row(a, i, [&](Index j, double v) {
        double* gj = out.grad_sum.data() + j * mp;
        for (Index k = 0; k < mp; ++k) gj[k] += v * sp[k];
      });
    }
  }
  return out;
}

RowMatrix pad_points(const Matrix& points) {
  RowMatrix w = RowMatrix::Zero(points.rows(), padded(points.cols()));
  w.leftCols(points.cols()) = points;
  return w;
}

RowMatrix pad_point(const Vector& x) {
  RowMatrix w = RowMatrix::Zero(x.size(), kLane);
  w.col(0) = x;
  return w;
}

KernelOutput run_pass(const Dataset& data, const RowMatrix& w, const std::span<const Index>* rows,
                      bool want_gradient) {
  return visit_features(data, [&](const auto& a) {
    return logistic_pass(a, data.labels, w, rows, want_gradient);
  });
}

}  // namespace

LogisticRegression::LogisticRegression(std::shared_ptr<const Dataset> train, double lambda,
                                       std::shared_ptr<const Dataset> test)
    : train_(std::move(train)), test_(std::move(test)), lambda_(lambda) {
  require(train_ != nullptr && train_->rows() > 0, "logistic regression needs training data");
  require(train_->label_kind == LabelKind::Binary,
          "logistic regression needs binary labels, but {} has {} classes", train_->source,
          train_->num_classes);
  require(std::isfinite(lambda) && lambda >= 0, "lambda must be finite and ≥ 0, got {}", lambda);
  d_ = train_->cols();
  if (test_ != nullptr) {
    require(test_->cols() == d_, "test set has {} features, training set {}", test_->cols(), d_);
    require(test_->label_kind == LabelKind::Binary, "test set labels must be binary");
  }
  r_ = train_->max_row_norm();
}

double LogisticRegression::value(const Vector& w) const {
  const auto out = run_pass(*train_, pad_point(w), nullptr, false);
  return out.loss_sum[0] / static_cast<double>(train_->rows()) + 0.5 * lambda_ * w.squaredNorm();
}

void LogisticRegression::gradient(const Vector& w, Vector& grad) const {
  (void)value_and_gradient(w, grad);
}

double LogisticRegression::value_and_gradient(const Vector& w, Vector& grad) const {
  const auto out = run_pass(*train_, pad_point(w), nullptr, true);
  const double inv_n = 1.0 / static_cast<double>(train_->rows());
  grad = out.grad_sum.col(0) * inv_n + lambda_ * w;
  return out.loss_sum[0] * inv_n + 0.5 * lambda_ * w.squaredNorm();
}

void LogisticRegression::value_and_gradient_many(const Matrix& points, Vector& values,
                                                 Matrix& grads) const {
  require(points.rows() == d_, "points have dimension {}, the problem {}", points.rows(), d_);
  const Index m = points.cols();
  const auto out = run_pass(*train_, pad_points(points), nullptr, true);
  const double inv_n = 1.0 / static_cast<double>(train_->rows());
  values.resize(m);
  grads.resize(d_, m);
  for (Index j = 0; j < m; ++j) {
    grads.col(j) = out.grad_sum.col(j) * inv_n + lambda_ * points.col(j);
    values[j] = out.loss_sum[j] * inv_n + 0.5 * lambda_ * points.col(j).squaredNorm();
  }
}

void LogisticRegression::minibatch_gradient(const Vector& w, std::span<const Index> samples,
                                            Vector& grad) const {
  require(!samples.empty(), "minibatch is empty");
  for (Index i : samples) {
    require(i >= 0 && i < train_->rows(), "sample index {} is outside [0, {})", i, train_->rows());
  }
  const auto out = run_pass(*train_, pad_point(w), &samples, true);
  grad = out.grad_sum.col(0) / static_cast<double>(samples.size()) + lambda_ * w;
}

std::vector<Metric> LogisticRegression::test_metrics(const Vector& w) const {
  Matrix points = w;
  auto many = test_metrics_many(points);
  return many.empty() ? std::vector<Metric>{} : many.front();
}

std::vector<std::vector<Metric>> LogisticRegression::test_metrics_many(const Matrix& points) const {
  if (test_ == nullptr) return std::vector<std::vector<Metric>>(static_cast<std::size_t>(points.cols()));
  const auto out = run_pass(*test_, pad_points(points), nullptr, false);
  const double inv_n = 1.0 / static_cast<double>(test_->rows());
  std::vector<std::vector<Metric>> result;
  for (Index j = 0; j < points.cols(); ++j) {
    result.push_back({{"test_loss", out.loss_sum[j] * inv_n}, {"test_accuracy", out.correct[j] * inv_n}});
  }
  return result;
}

std::optional<SmoothnessConstants> LogisticRegression::analytic_constants() const {
  return SmoothnessConstants{lambda_, r_ + lambda_, r_ * r_ + lambda_,
                             "seed constants: R = max‖a_i‖₂, L = R² + λ, L1 = R + λ, L0 = λ"};
}

}  // namespace signopt
