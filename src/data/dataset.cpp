#include "signopt/data/dataset.hpp"

#include <map>

#include <cmath>
#include <numeric>

#include "signopt/core/error.hpp"
#include "signopt/core/rng.hpp"

namespace signopt {

Index Dataset::rows() const {
  return visit_features(*this, [](const auto& m) -> Index { return m.rows(); });
}

Index Dataset::cols() const {
  return visit_features(*this, [](const auto& m) -> Index { return m.cols(); });
}

Index Dataset::nnz() const {
  if (is_sparse()) return sparse().nonZeros();
  return dense().size();
}

double Dataset::max_row_norm() const {
  if (is_sparse()) {
    const SparseMatrix& a = sparse();
    double best = 0.0;
    for (Index i = 0; i < a.outerSize(); ++i) {
      double s = 0.0;
      for (SparseMatrix::InnerIterator it(a, i); it; ++it) s += it.value() * it.value();
      best = std::max(best, s);
    }
    return std::sqrt(best);
  }
  if (dense().rows() == 0) return 0.0;
  return dense().rowwise().norm().maxCoeff();
}

Dataset Dataset::select_rows(const std::vector<Index>& rows) const {
  Dataset out;
  out.source = source;
  out.label_kind = label_kind;
  out.num_classes = num_classes;
  out.class_values = class_values;
  out.labels.resize(static_cast<Index>(rows.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) out.labels[static_cast<Index>(r)] = labels[rows[r]];
  if (is_sparse()) {
    const SparseMatrix& a = sparse();
    SparseMatrix b(static_cast<Index>(rows.size()), a.cols());
    Eigen::VectorXi per_row(static_cast<Index>(rows.size()));
    for (std::size_t r = 0; r < rows.size(); ++r) {
      per_row[static_cast<Index>(r)] = static_cast<int>(a.outerIndexPtr()[rows[r] + 1] - a.outerIndexPtr()[rows[r]]);
    }
    b.reserve(per_row);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      for (SparseMatrix::InnerIterator it(a, rows[r]); it; ++it) {
        b.insert(static_cast<Index>(r), it.col()) = it.value();
      }
    }
    b.makeCompressed();
    out.features = std::move(b);
  } else {
    const RowMatrix& a = dense();
    RowMatrix b(static_cast<Index>(rows.size()), a.cols());
    for (std::size_t r = 0; r < rows.size(); ++r) b.row(static_cast<Index>(r)) = a.row(rows[r]);
    out.features = std::move(b);
  }
  return out;
}

TrainTestSplit train_test_split(const Dataset& data, double test_fraction, std::uint64_t seed) {
  require(test_fraction >= 0.0 && test_fraction < 1.0,
          "test fraction must be in [0, 1), got {}", test_fraction);
  const Index n = data.rows();
  std::vector<Index> perm(static_cast<std::size_t>(n));
  std::iota(perm.begin(), perm.end(), Index{0});
  Rng rng = Rng::derive({seed, stream_tag("train-test-split")});
  for (Index i = n - 1; i > 0; --i) {
    const auto j = static_cast<Index>(rng.uniform_int(static_cast<std::uint64_t>(i + 1)));
    std::swap(perm[static_cast<std::size_t>(i)], perm[static_cast<std::size_t>(j)]);
  }
  const auto n_test = static_cast<Index>(std::ceil(test_fraction * static_cast<double>(n)));
  const Index n_train = n - n_test;
  require(n_train > 0, "a test fraction of {} leaves no training rows out of {}", test_fraction, n);
  std::vector<Index> train_rows(perm.begin(), perm.begin() + n_train);
  std::vector<Index> test_rows(perm.begin() + n_train, perm.end());
  TrainTestSplit split{data.select_rows(train_rows), data.select_rows(test_rows)};
  split.train.source = data.source + " [train]";
  split.test.source = data.source + " [test]";
  return split;
}

namespace {

void scale_columns(Dataset& data, const Vector& shift, const Vector& inv_scale) {
  if (data.is_sparse()) {
    auto& a = std::get<SparseMatrix>(data.features);
    for (Index i = 0; i < a.outerSize(); ++i) {
      for (SparseMatrix::InnerIterator it(a, i); it; ++it) it.valueRef() *= inv_scale[it.col()];
    }
  } else {
    auto& a = std::get<RowMatrix>(data.features);
    a = ((a.rowwise() - shift.transpose()).array().rowwise() * inv_scale.transpose().array()).matrix();
  }
}

}  // namespace

void standardize(Dataset& train, Dataset* test) {
  const Index d = train.cols(), n = train.rows();
  require(n >= 2, "standardisation needs at least two training rows");
  if (test != nullptr) {
    require(test->cols() == d, "test set has {} features, training set {}", test->cols(), d);
  }
  Vector mean = Vector::Zero(d), sq = Vector::Zero(d);
  if (train.is_sparse()) {
    const SparseMatrix& a = train.sparse();
    for (Index i = 0; i < a.outerSize(); ++i) {
      for (SparseMatrix::InnerIterator it(a, i); it; ++it) {
        mean[it.col()] += it.value();
        sq[it.col()] += it.value() * it.value();
      }
    }
  } else {
    mean = train.dense().colwise().sum().transpose();
    sq = train.dense().array().square().colwise().sum().transpose();
  }
  mean /= static_cast<double>(n);
  Vector var = (sq / static_cast<double>(n) - mean.cwiseAbs2()).cwiseMax(0.0);
  Vector inv_scale(d);
  for (Index j = 0; j < d; ++j) inv_scale[j] = var[j] > 1e-24 ? 1.0 / std::sqrt(var[j]) : 1.0;
  const Vector shift = train.is_sparse() ? Vector::Zero(d) : mean;
  scale_columns(train, shift, inv_scale);
  if (test != nullptr) scale_columns(*test, shift, inv_scale);
}

Dataset with_constant_feature(const Dataset& data) {
  Dataset out;
  out.source = data.source;
  out.labels = data.labels;
  out.label_kind = data.label_kind;
  out.num_classes = data.num_classes;
  out.class_values = data.class_values;
  const Index n = data.rows(), d = data.cols();
  if (data.is_sparse()) {
    const SparseMatrix& a = data.sparse();
    std::vector<Eigen::Triplet<double, std::int64_t>> entries;
    entries.reserve(static_cast<std::size_t>(a.nonZeros() + n));
    for (Index i = 0; i < n; ++i) {
      for (SparseMatrix::InnerIterator it(a, i); it; ++it) entries.emplace_back(i, it.col(), it.value());
      entries.emplace_back(i, d, 1.0);
    }
    SparseMatrix b(n, d + 1);
    b.setFromTriplets(entries.begin(), entries.end());
    b.makeCompressed();
    out.features = std::move(b);
  } else {
    RowMatrix b(n, d + 1);
    b.leftCols(d) = data.dense();
    b.col(d).setOnes();
    out.features = std::move(b);
  }
  return out;
}

double majority_class_fraction(const Dataset& data) {
  if (data.rows() == 0) return 0.0;
  std::map<int, Index> counts;
  for (Index i = 0; i < data.labels.size(); ++i) ++counts[data.labels[i]];
  Index best = 0;
  for (const auto& [label, count] : counts) best = std::max(best, count);
  return static_cast<double>(best) / static_cast<double>(data.rows());
}

}  // namespace signopt
