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

TEST(LogisticKernel, MatchesAStraightforwardSum) {
  const Dataset& ds = mushrooms();
  const LogisticKernelData data(ds.sparse(), ds.labels);
  const RowMatrix w = random_points(data.cols(), 3, 2);
  const LogisticSums sums = logistic_sums(data, w, {}, true);
  const RowMatrix a = RowMatrix(ds.sparse());
  for (Index j = 0; j < 3; ++j) {
    double loss = 0, correct = 0;
    Vector grad = Vector::Zero(data.cols());
    for (Index i = 0; i < a.rows(); ++i) {
      const double y = ds.labels[i];
      const double margin = a.row(i).dot(w.col(j));
      loss += std::log1p(std::exp(-y * margin));
      correct += ((margin >= 0 ? 1.0 : -1.0) == y) ? 1.0 : 0.0;
      grad += (-y / (1 + std::exp(y * margin))) * a.row(i).transpose();
    }
    EXPECT_NEAR(sums.loss[j], loss, 1e-10 * loss);
    EXPECT_LT((sums.gradient.col(j) - grad).norm(), 1e-10 * grad.norm());
    const LogisticSums no_gradient = logistic_sums(data, w, {}, false);
    EXPECT_EQ(no_gradient.correct[j], correct);
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
