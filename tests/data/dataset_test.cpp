#include "signopt/data/dataset.hpp"

#include <gtest/gtest.h>

#include <set>

#include "signopt/core/error.hpp"
#include "signopt/data/libsvm_reader.hpp"

namespace signopt {
namespace {

Dataset small_dense() {
  Dataset d;
  RowMatrix x(5, 2);
  x << 1, 10, 2, 20, 3, 30, 4, 40, 5, 50;
  d.features = x;
  d.labels.resize(5);
  d.labels << 1, -1, 1, -1, 1;
  return d;
}

TEST(Dataset, SplitIsSeededDisjointAndComplete) {
  const Dataset data = parse_libsvm("1 1:1\n-1 1:2\n1 1:3\n-1 1:4\n1 1:5\n-1 1:6\n1 1:7\n-1 1:8\n1 1:9\n-1 1:10\n", "t");
  const auto a = train_test_split(data, 0.2, 7);
  const auto b = train_test_split(data, 0.2, 7);
  const auto c = train_test_split(data, 0.2, 8);
  EXPECT_EQ(a.train.rows(), 8);
  EXPECT_EQ(a.test.rows(), 2);
  std::multiset<double> seen;
  for (const Dataset* part : {&a.train, &a.test}) {
    for (Index i = 0; i < part->rows(); ++i) seen.insert(part->sparse().coeff(i, 0));
  }
  EXPECT_EQ(seen, (std::multiset<double>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  auto col = [](const Dataset& d) {
    std::vector<double> v;
    for (Index i = 0; i < d.rows(); ++i) v.push_back(d.sparse().coeff(i, 0));
    return v;
  };
  EXPECT_EQ(col(a.train), col(b.train));
  EXPECT_NE(col(a.train), col(c.train));
  // Labels travel with their rows: odd values are +1 here.
  for (Index i = 0; i < a.train.rows(); ++i) {
    EXPECT_EQ(a.train.labels[i], static_cast<int>(a.train.sparse().coeff(i, 0)) % 2 ? 1 : -1);
  }
}

TEST(Dataset, MushroomsSplitMatchesTheSeedSizes) {
  const auto split = train_test_split(read_libsvm(SIGNOPT_SOURCE_DIR "/data/mushrooms.libsvm"), 0.2, 0);
  EXPECT_EQ(split.train.rows(), 6499);  // sklearn's train_test_split(test_size=0.2) sizes
  EXPECT_EQ(split.test.rows(), 1625);
}

TEST(Dataset, SplitRejectsImpossibleFractions) {
  const Dataset d = small_dense();
  EXPECT_THROW(train_test_split(d, 1.0, 0), Error);
  EXPECT_THROW(train_test_split(d, -0.1, 0), Error);
}

TEST(Dataset, StandardizeDenseCentersAndScales) {
  Dataset train = small_dense(), test = small_dense();
  standardize(train, &test);
  const RowMatrix& x = train.dense();
  for (Index j = 0; j < 2; ++j) {
    EXPECT_NEAR(x.col(j).mean(), 0.0, 1e-12);
    EXPECT_NEAR(x.col(j).squaredNorm() / 5.0, 1.0, 1e-12);  // population variance 1
  }
  EXPECT_TRUE(test.dense().isApprox(x));
}

TEST(Dataset, StandardizeSparseOnlyScales) {
  Dataset train = parse_libsvm("1 1:2\n-1 1:4 2:3\n1 2:3\n", "t");
  standardize(train, nullptr);
  // Column 1 holds {2, 4, 0}: population sd = sqrt(20/3 − 4) = sqrt(8/3).
  EXPECT_NEAR(train.sparse().coeff(0, 0), 2.0 / std::sqrt(8.0 / 3.0), 1e-12);
  EXPECT_EQ(train.sparse().coeff(2, 0), 0.0);
  EXPECT_EQ(train.nnz(), 4);
}

TEST(Dataset, MaxRowNormDenseAndSparse) {
  EXPECT_NEAR(small_dense().max_row_norm(), std::sqrt(25.0 + 2500.0), 1e-12);
  EXPECT_NEAR(parse_libsvm("1 1:3 2:4\n-1 3:1\n", "t").max_row_norm(), 5.0, 1e-12);
}

TEST(Dataset, ConstantFeatureIsAppendedToDenseAndSparseData) {
  const Dataset sparse = parse_libsvm("1 1:0.5 3:2\n-1 2:1\n", "t");
  const Dataset with = with_constant_feature(sparse);
  ASSERT_TRUE(with.is_sparse());
  EXPECT_EQ(with.rows(), 2);
  EXPECT_EQ(with.cols(), sparse.cols() + 1);
  const RowMatrix a(with.sparse());
  EXPECT_EQ(a(0, 0), 0.5);
  EXPECT_EQ(a(0, 2), 2.0);
  EXPECT_EQ(a(1, 1), 1.0);
  EXPECT_EQ(a(0, 3), 1.0);
  EXPECT_EQ(a(1, 3), 1.0);
  EXPECT_EQ(with.labels, sparse.labels);
  Dataset dense = sparse;
  dense.features = RowMatrix(sparse.sparse());
  const Dataset dense_with = with_constant_feature(dense);
  ASSERT_FALSE(dense_with.is_sparse());
  EXPECT_EQ(dense_with.dense(), a);
}

}  // namespace
}  // namespace signopt
