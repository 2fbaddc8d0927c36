#include "signopt/problems/network_classifier_problem.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "signopt/core/error.hpp"

namespace signopt {
namespace {

// Scratch of one thread: network buffers, gathered minibatch rows, float copies of points
// and gradients. Shared by all instances on the thread; a call never keeps it across returns.
template <typename Scalar>
struct ThreadScratch {
  NetworkWorkspace<Scalar> network;
  ColMatrix<Scalar> gathered;
  std::vector<int> gathered_labels;
  std::vector<Eigen::Matrix<Scalar, Eigen::Dynamic, 1>> points;
  std::vector<Eigen::Matrix<Scalar, Eigen::Dynamic, 1>> grads;
};

template <typename Scalar>
ThreadScratch<Scalar>& thread_scratch() {
  thread_local ThreadScratch<Scalar> scratch;
  return scratch;
}

// A dense entry count above this is refused when densifying sparse data (8 GiB of doubles).
constexpr double kMaxDenseEntries = 1ULL << 30;

}  // namespace

template <>
const float* NetworkClassifierProblem::Split::features<float>() const {
  return float_features.data();
}
template <>
const double* NetworkClassifierProblem::Split::features<double>() const {
  return double_features;
}

NetworkClassifierProblem::NetworkClassifierProblem(DenseNetwork network,
                                                   std::shared_ptr<const Dataset> train,
                                                   std::shared_ptr<const Dataset> test, double l2,
                                                   Precision precision)
    : network_(std::move(network)), l2_(l2), precision_(precision) {
  require(std::isfinite(l2) && l2 >= 0.0, "L2 coefficient must be finite and >= 0, got {}", l2);
  require(train != nullptr, "a classification problem needs a training set");
  train_ = make_split(train, "training");
  require(train_.rows > 0, "training set {} has no samples", train->source);
  if (test != nullptr) {
    require(test->label_kind == train->label_kind, "test set {} is {} but training set {} is {}",
            test->source, test->label_kind == LabelKind::Binary ? "binary" : "multi-class",
            train->source, train->label_kind == LabelKind::Binary ? "binary" : "multi-class");
    test_ = make_split(test, "test");
  }
}

NetworkClassifierProblem::Split NetworkClassifierProblem::make_split(
    const std::shared_ptr<const Dataset>& data, const char* role) const {
  Split split;
  split.rows = data->rows();
  split.cols = data->cols();
  require(split.cols == network_.num_inputs(), "{} set {} has {} features, the network expects {}",
          role, data->source, split.cols, network_.num_inputs());
  require(data->labels.size() == split.rows, "{} set {} has {} rows but {} labels", role,
          data->source, split.rows, data->labels.size());
  const Index classes = network_.num_classes();
  split.labels.resize(static_cast<std::size_t>(split.rows));
  for (Index i = 0; i < split.rows; ++i) {
    const int label = data->labels[i];
    int y = label;
    if (data->label_kind == LabelKind::Binary) {
      require(label == 1 || label == -1, "{} set {}: row {} has binary label {}, expected -1 or +1",
              role, data->source, i, label);
      y = label > 0 ? 1 : 0;
    }
    require(y >= 0 && y < classes,
            "{} set {}: row {} has class id {}, outside the {} classes [0, {}) of the network",
            role, data->source, i, label, classes, classes);
    split.labels[static_cast<std::size_t>(i)] = y;
  }

  if (data->is_sparse()) {
    require(static_cast<double>(split.rows) * static_cast<double>(split.cols) <= kMaxDenseEntries,
            "{} set {} is sparse with {}×{} entries; networks need dense features and more than "
            "{} entries would not fit",
            role, data->source, split.rows, split.cols, kMaxDenseEntries);
  }
  // A row-major n×d block is, in memory, the column-major d×n block we compute on.
  if (precision_ == Precision::Float32) {
    split.float_features.resize(split.cols, split.rows);
    if (data->is_sparse()) {
      split.float_features.setZero();
      const SparseMatrix& a = data->sparse();
      for (Index i = 0; i < a.outerSize(); ++i) {
        for (SparseMatrix::InnerIterator it(a, i); it; ++it) {
          split.float_features(it.col(), i) = static_cast<float>(it.value());
        }
      }
    } else {
      split.float_features =
          Eigen::Map<const Matrix>(data->dense().data(), split.cols, split.rows).cast<float>();
    }
  } else if (data->is_sparse()) {
    split.owned_double_features = Matrix::Zero(split.cols, split.rows);
    const SparseMatrix& a = data->sparse();
    for (Index i = 0; i < a.outerSize(); ++i) {
      for (SparseMatrix::InnerIterator it(a, i); it; ++it) {
        split.owned_double_features(it.col(), i) = it.value();
      }
    }
    split.double_features = split.owned_double_features.data();
  } else {
    split.double_features = data->dense().data();
    split.keep_alive = data;
  }
  return split;
}

void NetworkClassifierProblem::check_point(const Vector& x) const {
  require(x.size() == dim(), "{}: point has {} coordinates, the problem has {} parameters", name(),
          x.size(), dim());
}

template <typename Scalar>
std::vector<BatchLoss> NetworkClassifierProblem::evaluate_points(
    const Split& split, std::optional<std::span<const Index>> rows,
    std::span<const double* const> points, std::span<double* const> grads) const {
  using Col = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  constexpr bool kNative = std::is_same_v<Scalar, double>;
  ThreadScratch<Scalar>& scratch = thread_scratch<Scalar>();
  const std::size_t m = points.size();
  const bool want_grad = !grads.empty();
  const Index dim = network_.num_parameters();
  const Index count = rows ? static_cast<Index>(rows->size()) : split.rows;
  const Index d = split.cols;

  // Parameters and gradient accumulators in the compute precision.
  std::vector<const Scalar*> params(m);
  std::vector<Scalar*> accumulators(m, nullptr);
  if constexpr (kNative) {
    for (std::size_t j = 0; j < m; ++j) {
      params[j] = points[j];
      if (want_grad) {
        accumulators[j] = grads[j];
        Eigen::Map<Vector>(grads[j], dim).setZero();
      }
    }
  } else {
    scratch.points.resize(m);
    if (want_grad) scratch.grads.resize(m);
    for (std::size_t j = 0; j < m; ++j) {
      scratch.points[j] = Eigen::Map<const Vector>(points[j], dim).cast<Scalar>();
      params[j] = scratch.points[j].data();
      if (want_grad) {
        scratch.grads[j] = Col::Zero(dim);
        accumulators[j] = scratch.grads[j].data();
      }
    }
  }

  std::vector<BatchLoss> totals(m);
  const Scalar grad_scale = Scalar(1) / static_cast<Scalar>(count);
  const Scalar* features = split.template features<Scalar>();
  for (Index start = 0; start < count; start += kChunkRows) {
    const Index batch = std::min(kChunkRows, count - start);
    const Scalar* block = nullptr;
    std::span<const int> labels;
    if (rows) {
      scratch.gathered.resize(d, batch);
      scratch.gathered_labels.resize(static_cast<std::size_t>(batch));
      for (Index j = 0; j < batch; ++j) {
        const Index row = (*rows)[static_cast<std::size_t>(start + j)];
        std::memcpy(scratch.gathered.col(j).data(), features + row * d,
                    static_cast<std::size_t>(d) * sizeof(Scalar));
        scratch.gathered_labels[static_cast<std::size_t>(j)] =
            split.labels[static_cast<std::size_t>(row)];
      }
      block = scratch.gathered.data();
      labels = scratch.gathered_labels;
    } else {
      block = features + start * d;
      labels = std::span<const int>(split.labels)
                   .subspan(static_cast<std::size_t>(start), static_cast<std::size_t>(batch));
    }
    const Eigen::Map<const ColMatrix<Scalar>> inputs(block, d, batch);
    for (std::size_t j = 0; j < m; ++j) {
      const BatchLoss chunk =
          network_.evaluate<Scalar>(params[j], inputs, labels, grad_scale,
                                    want_grad ? accumulators[j] : nullptr, scratch.network);
      totals[j].loss_sum += chunk.loss_sum;
      totals[j].correct += chunk.correct;
    }
  }

  if constexpr (!kNative) {
    if (want_grad) {
      for (std::size_t j = 0; j < m; ++j) {
        Eigen::Map<Vector>(grads[j], dim) = scratch.grads[j].template cast<double>();
      }
    }
  }
  return totals;
}

std::vector<BatchLoss> NetworkClassifierProblem::evaluate(
    const Split& split, std::optional<std::span<const Index>> rows,
    std::span<const double* const> points, std::span<double* const> grads) const {
  if (precision_ == Precision::Float32) return evaluate_points<float>(split, rows, points, grads);
  return evaluate_points<double>(split, rows, points, grads);
}

double NetworkClassifierProblem::value(const Vector& x) const {
  check_point(x);
  const double* point = x.data();
  const BatchLoss total = evaluate(train_, std::nullopt, {&point, 1}, {}).front();
  return total.loss_sum / static_cast<double>(train_.rows) + regularizer(x);
}

void NetworkClassifierProblem::gradient(const Vector& x, Vector& grad) const {
  value_and_gradient(x, grad);
}

double NetworkClassifierProblem::value_and_gradient(const Vector& x, Vector& grad) const {
  check_point(x);
  grad.resize(dim());
  const double* point = x.data();
  double* out = grad.data();
  const BatchLoss total = evaluate(train_, std::nullopt, {&point, 1}, {&out, 1}).front();
  add_l2_gradient(x, grad);
  return total.loss_sum / static_cast<double>(train_.rows) + regularizer(x);
}

void NetworkClassifierProblem::value_and_gradient_many(const Matrix& points, Vector& values,
                                                        Matrix& grads, ThreadTeam* /*team*/) const {
  require(points.rows() == dim(), "{}: points have {} coordinates, the problem has {} parameters",
          name(), points.rows(), dim());
  // One point at a time, each copied into an (aligned) Vector: the vectorised products split
  // their sums by memory alignment, and a column of `points` is aligned according to its
  // position. Copying makes every point's result bit-identical to value_and_gradient(x),
  // whatever the grouping of runs (the runner's determinism relies on it). Each point is a
  // whole pass over the data anyway, so nothing is shared by batching points here.
  const Index m = points.cols();
  values.resize(m);
  grads.resize(dim(), m);
  Vector x(dim()), g(dim());
  for (Index j = 0; j < m; ++j) {
    x = points.col(j);
    values[j] = value_and_gradient(x, g);
    grads.col(j) = g;
  }
}

void NetworkClassifierProblem::evaluate_training_pass(const Matrix& points, Vector& values,
                                                      Matrix& grads, TrainingMetrics& train,
                                                      ThreadTeam* /*team*/) const {
  require(points.rows() == dim(), "{}: points have {} coordinates, the problem has {} parameters",
          name(), points.rows(), dim());
  // As value_and_gradient_many (one aligned copy per point), keeping the pass's loss sum and
  // correct count.
  const Index m = points.cols();
  values.resize(m);
  grads.resize(dim(), m);
  train.data_loss.resize(m);
  train.accuracy.resize(m);
  Vector x(dim()), g(dim());
  const auto n = static_cast<double>(train_.rows);
  for (Index j = 0; j < m; ++j) {
    x = points.col(j);
    check_point(x);
    g.resize(dim());
    const double* point = x.data();
    double* out = g.data();
    const BatchLoss total = evaluate(train_, std::nullopt, {&point, 1}, {&out, 1}).front();
    add_l2_gradient(x, g);
    values[j] = total.loss_sum / n + regularizer(x);
    train.data_loss[j] = total.loss_sum / n;
    train.accuracy[j] = static_cast<double>(total.correct) / n;
    grads.col(j) = g;
  }
}

double NetworkClassifierProblem::regularizer(const Vector& x) const {
  if (unregularized_tail_ == 0) return 0.5 * l2_ * x.squaredNorm();
  return 0.5 * l2_ * x.head(x.size() - unregularized_tail_).squaredNorm();
}

void NetworkClassifierProblem::add_l2_gradient(const Vector& x, Vector& grad) const {
  if (l2_ == 0.0) return;
  if (unregularized_tail_ == 0) {
    grad += l2_ * x;
  } else {
    const Index n = x.size() - unregularized_tail_;
    grad.head(n) += l2_ * x.head(n);
  }
}

void NetworkClassifierProblem::leave_unregularized(Index tail) {
  require(tail >= 0 && tail <= dim(), "{}: {} unregularised parameters of {}", name(), tail, dim());
  unregularized_tail_ = tail;
}

double NetworkClassifierProblem::minibatch_gradient(const Vector& x, std::span<const Index> samples,
                                                    Vector& grad) const {
  check_point(x);
  require(!samples.empty(), "{}: a minibatch needs at least one sample", name());
  for (const Index i : samples) {
    require(i >= 0 && i < train_.rows, "{}: sample index {} is outside [0, {})", name(), i,
            train_.rows);
  }
  grad.resize(dim());
  const double* point = x.data();
  double* out = grad.data();
  const BatchLoss batch = evaluate(train_, samples, {&point, 1}, {&out, 1}).front();
  add_l2_gradient(x, grad);
  return batch.loss_sum / static_cast<double>(samples.size());
}

std::vector<Metric> NetworkClassifierProblem::test_metrics(const Vector& x) const {
  if (!test_ || test_->rows == 0) return {};
  check_point(x);
  const double* point = x.data();
  const BatchLoss total = evaluate(*test_, std::nullopt, {&point, 1}, {}).front();
  const auto n = static_cast<double>(test_->rows);
  return {{"test_loss", total.loss_sum / n},
          {"test_accuracy", static_cast<double>(total.correct) / n}};
}

double NetworkClassifierProblem::train_accuracy(const Vector& x) const {
  check_point(x);
  const double* point = x.data();
  const BatchLoss total = evaluate(train_, std::nullopt, {&point, 1}, {}).front();
  return static_cast<double>(total.correct) / static_cast<double>(train_.rows);
}

double NetworkClassifierProblem::max_squared_row_norm() const {
  if (precision_ == Precision::Float32) {
    return train_.float_features.cast<double>().colwise().squaredNorm().maxCoeff();
  }
  return Eigen::Map<const Matrix>(train_.double_features, train_.cols, train_.rows)
      .colwise()
      .squaredNorm()
      .maxCoeff();
}

}  // namespace signopt
