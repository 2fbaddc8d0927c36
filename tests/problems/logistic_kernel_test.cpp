#include "signopt/problems/logistic_kernel.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "signopt/core/error.hpp"
#include "signopt/core/rng.hpp"
#include "signopt/data/libsvm_reader.hpp"
#include "test_support.hpp"

namespace signopt {
namespace {

const Dataset& mushrooms() {
  static const Dataset data = read_libsvm(testing::mushrooms_path());
  return data;
}

RowMatrix random_points(Index d, Index m, std::uint64_t seed) {
  Rng rng(seed);
  RowMatrix w(d, m);
  for (Index i = 0; i < d; ++i)
    for (Index j = 0; j < m; ++j) w(i, j) = 0.3 * rng.normal();
  return w;
}

void expect_identical(const LogisticSums& a, const LogisticSums& b) {
  EXPECT_TRUE((a.loss == b.loss).all());
  EXPECT_TRUE((a.correct == b.correct).all());
  EXPECT_EQ(a.gradient, b.gradient);
}

TEST(LogisticKernel, StripesAreFixedByTheData) {
  const LogisticKernelData data(mushrooms().sparse(), mushrooms().labels);
  EXPECT_EQ(data.rows(), 8124);
  EXPECT_EQ(data.stripes(), LogisticKernelData::kMaxStripes);
  // One block of rows: one stripe.
  SparseMatrix small = mushrooms().sparse().topRows(50);
  const LogisticKernelData tiny(small, mushrooms().labels.head(50));
  EXPECT_EQ(tiny.stripes(), 1);
}

TEST(LogisticKernel, ATeamGivesBitIdenticalSums) {
  const LogisticKernelData data(mushrooms().sparse(), mushrooms().labels);
  ThreadTeam team(3);
  for (Index m : {1, 7, 20, 40, 45}) {
    const RowMatrix w = random_points(data.cols(), m, 4);
    for (bool gradient : {false, true}) {
      SCOPED_TRACE(::testing::Message() << "m " << m << " gradient " << gradient);
      expect_identical(logistic_sums(data, w, {}, gradient), logistic_sums(data, w, {}, gradient, &team));
    }
  }
}

TEST(LogisticKernel, APointsSumsDoNotDependOnItsCompany) {
  const LogisticKernelData data(mushrooms().sparse(), mushrooms().labels);
  const RowMatrix w = random_points(data.cols(), 45, 9);  // chunks of 40 and 5 lanes
  ThreadTeam team(2);
  const LogisticSums all = logistic_sums(data, w, {}, true, &team);
  for (Index j : {0, 7, 8, 31, 39, 40, 44}) {
    const LogisticSums one = logistic_sums(data, w.col(j), {}, true);
    EXPECT_EQ(one.loss[0], all.loss[j]) << j;
    EXPECT_EQ(RowMatrix(one.gradient.col(0)), RowMatrix(all.gradient.col(j))) << j;
  }
}

// The sums written out row by row, for comparison.
void expect_straightforward_sums(const SparseMatrix& features, const Eigen::VectorXi& labels,
                                 const LogisticKernelData& data) {
  const RowMatrix w = random_points(data.cols(), 3, 2);
  const LogisticSums sums = logistic_sums(data, w, {}, true);
  const LogisticSums no_gradient = logistic_sums(data, w, {}, false);
  const RowMatrix a = RowMatrix(features);
  for (Index j = 0; j < 3; ++j) {
    double loss = 0, correct = 0;
    Vector grad = Vector::Zero(data.cols());
    for (Index i = 0; i < a.rows(); ++i) {
      const double y = labels[i];
      const double margin = a.row(i).dot(w.col(j));
      loss += std::log1p(std::exp(-y * margin));
      correct += ((margin >= 0 ? 1.0 : -1.0) == y) ? 1.0 : 0.0;
      grad += (-y / (1 + std::exp(y * margin))) * a.row(i).transpose();
    }
    EXPECT_NEAR(sums.loss[j], loss, 1e-10 * loss);
    EXPECT_LT((sums.gradient.col(j) - grad).norm(), 1e-10 * grad.norm());
    EXPECT_EQ(no_gradient.correct[j], correct);
  }
}

TEST(LogisticKernel, MatchesAStraightforwardSum) {
  const Dataset& ds = mushrooms();
  for (bool find_patterns : {true, false}) {
    SCOPED_TRACE(::testing::Message() << "find_patterns " << find_patterns);
    const LogisticKernelData data(ds.sparse(), ds.labels, find_patterns);
    EXPECT_EQ(data.factored(), find_patterns);  // Mushrooms repeats its row patterns
    expect_straightforward_sums(ds.sparse(), ds.labels, data);
  }
}

TEST(LogisticKernel, MatchesAStraightforwardSumWithScaledFeatures) {
  // Values other than 1 (each column scaled): still factored, through the non-unit products.
  const Dataset& ds = mushrooms();
  SparseMatrix scaled = ds.sparse();
  for (Index i = 0; i < scaled.outerSize(); ++i) {
    for (SparseMatrix::InnerIterator it(scaled, i); it; ++it) it.valueRef() = 0.25 + 0.01 * static_cast<double>(it.col());
  }
  const LogisticKernelData data(scaled, ds.labels);
  EXPECT_TRUE(data.factored());
  EXPECT_FALSE(data.unit_values());
  expect_straightforward_sums(scaled, ds.labels, data);
}

TEST(LogisticKernel, FactoredAndDirectPassesAgree) {
  const Dataset& ds = mushrooms();
  const LogisticKernelData factored(ds.sparse(), ds.labels);
  const LogisticKernelData direct(ds.sparse(), ds.labels, false);
  ASSERT_TRUE(factored.factored());
  // Small row lists read the rows themselves (the products with E would cost more); long
  // ones and full passes read the factorisation.
  EXPECT_FALSE(factored.reads_factored(4));
  EXPECT_TRUE(factored.reads_factored(factored.rows()));
  EXPECT_FALSE(direct.reads_factored(direct.rows()));
  const RowMatrix w = random_points(ds.cols(), 5, 12);
  std::vector<Index> many(3000);
  for (std::size_t r = 0; r < many.size(); ++r) many[r] = static_cast<Index>((r * 7919) % 8124);
  for (const std::vector<Index>& rows : {std::vector<Index>{}, many, std::vector<Index>{5, 9, 5}}) {
    const LogisticSums a = logistic_sums(factored, w, rows, true);
    const LogisticSums b = logistic_sums(direct, w, rows, true);
    EXPECT_LT((a.loss - b.loss).abs().maxCoeff(), 1e-12 * b.loss.abs().maxCoeff());
    EXPECT_LT((a.gradient - b.gradient).norm(), 1e-12 * b.gradient.norm());
  }
}

TEST(LogisticKernel, RowListsAndBadInput) {
  const Dataset& ds = mushrooms();
  const LogisticKernelData data(ds.sparse(), ds.labels);
  const RowMatrix w = random_points(data.cols(), 2, 6);
  const std::vector<Index> rows{3, 3, 100, 7000};  // repeats count twice
  const LogisticSums batch = logistic_sums(data, w, rows, true);
  LogisticSums expected;
  expected.loss = Eigen::ArrayXd::Zero(2);
  for (Index i : rows) {
    const std::vector<Index> one{i};
    expected.loss += logistic_sums(data, w, one, true).loss;
  }
  EXPECT_NEAR((batch.loss - expected.loss).abs().maxCoeff(), 0.0, 1e-12);
  EXPECT_THROW(logistic_sums(data, random_points(5, 1, 1), {}, true), Error);
  EXPECT_THROW(LogisticKernelData(ds.sparse(), ds.labels.head(10)), Error);
}

}  // namespace
}  // namespace signopt
