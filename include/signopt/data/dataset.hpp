#pragma once
// A supervised data set: a feature matrix (dense, or CSR sparse for LIBSVM data) and labels.
//
// Binary tasks store labels as ±1 (label_kind == Binary, num_classes == 2); multi-class tasks
// store class ids 0..K−1 and keep the original label values in class_values.
#include <string>
#include <variant>
#include <vector>

#include "signopt/core/types.hpp"

namespace signopt {

enum class LabelKind { Binary, MultiClass };

struct Dataset {
  std::string source;  // file name or description, for messages and manifests
  std::variant<RowMatrix, SparseMatrix> features;
  Eigen::VectorXi labels;
  LabelKind label_kind = LabelKind::Binary;
  int num_classes = 2;
  std::vector<double> class_values;  // original label value of each class id (multi-class)

  Index rows() const;
  Index cols() const;
  Index nnz() const;  // stored entries (rows·cols for dense data)
  bool is_sparse() const { return std::holds_alternative<SparseMatrix>(features); }
  const SparseMatrix& sparse() const { return std::get<SparseMatrix>(features); }
  const RowMatrix& dense() const { return std::get<RowMatrix>(features); }

  // R = max_i ‖a_i‖₂, the largest row norm (docs/theory.md §3).
  double max_row_norm() const;

  // A new data set with the given rows, in the given order.
  Dataset select_rows(const std::vector<Index>& rows) const;
};

// Calls f(matrix) with the dense or sparse feature matrix.
template <typename F>
decltype(auto) visit_features(const Dataset& data, F&& f) {
  return std::visit(std::forward<F>(f), data.features);
}

struct TrainTestSplit {
  Dataset train;
  Dataset test;
};

// Seeded random split: a random permutation of the rows, the first ⌈(1−test_fraction)·n⌉ go
// to train. test_fraction ∈ [0, 1).
TrainTestSplit train_test_split(const Dataset& data, double test_fraction, std::uint64_t seed);

// Feature standardisation fitted on `train` and applied to both sets. Dense data is centred
// and scaled to unit variance; sparse data is only scaled (centring would destroy sparsity).
// Constant columns are left as they are.
void standardize(Dataset& train, Dataset* test);

// The data set with a constant feature 1 appended as its last column (an intercept term for
// linear models); dense stays dense, sparse stays sparse.
Dataset with_constant_feature(const Dataset& data);

// The accuracy of the trivial classifier that always predicts the most frequent label: the
// floor a trained classifier must beat to have learnt anything.
double majority_class_fraction(const Dataset& data);

}  // namespace signopt
