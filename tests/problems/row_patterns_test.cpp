#include "signopt/problems/row_patterns.hpp"

#include <gtest/gtest.h>

#include "signopt/core/rng.hpp"
#include "signopt/data/libsvm_reader.hpp"
#include "test_support.hpp"

namespace signopt {
namespace {

// A = P·E entry for entry, P has unit values and at most one pattern per group and row, and
// E's patterns lie within their groups.
void expect_exact_factorisation(const SparseMatrix& a, const RowPatterns& f) {
  ASSERT_EQ(f.indicator.rows(), a.rows());
  ASSERT_EQ(f.indicator.cols(), f.patterns.rows());
  ASSERT_EQ(f.patterns.cols(), a.cols());
  EXPECT_EQ(f.group_begin.front(), 0);
  EXPECT_EQ(f.group_begin.back(), a.cols());
  const Eigen::Map<const Eigen::ArrayXd> p_values(f.indicator.valuePtr(), f.indicator.nonZeros());
  EXPECT_TRUE((p_values == 1.0).all());
  const Index groups = static_cast<Index>(f.group_begin.size()) - 1;
  for (Index i = 0; i < f.indicator.rows(); ++i) {
    EXPECT_LE(f.indicator.outerIndexPtr()[i + 1] - f.indicator.outerIndexPtr()[i], groups);
  }
  const SparseMatrix product = (f.indicator * f.patterns).pruned();
  const SparseMatrix difference = (product - a).pruned();
  EXPECT_EQ(difference.nonZeros(), 0);
  EXPECT_EQ(product.nonZeros(), a.nonZeros());
}

TEST(RowPatterns, MushroomsFactorsExactlyAndCheaply) {
  const Dataset ds = read_libsvm(testing::mushrooms_path());
  const auto f = find_row_patterns(ds.sparse());
  ASSERT_TRUE(f.has_value());
  expect_exact_factorisation(ds.sparse(), *f);
  // 21 entries per row become a few patterns; the patterns themselves are few.
  const double cost = static_cast<double>(f->indicator.nonZeros() + f->patterns.nonZeros() + f->patterns.rows());
  EXPECT_LT(cost, kRowPatternsWorthIt * static_cast<double>(ds.sparse().nonZeros()));
  EXPECT_LT(f->indicator.nonZeros(), ds.sparse().nonZeros() / 3);
  EXPECT_LT(f->patterns.rows(), 2000);
}

TEST(RowPatterns, RowsWithoutEntriesAndValuesOtherThanOne) {
  // 3000 rows of 8 categorical features with 4 levels each (one-hot, level values 0.5 or 2),
  // every tenth row empty.
  Rng rng(4);
  const Index n = 3000, features = 8, levels = 4;
  std::vector<Eigen::Triplet<double, std::int64_t>> entries;
  for (Index i = 0; i < n; ++i) {
    if (i % 10 == 0) continue;
    for (Index f = 0; f < features; ++f) {
      const auto level = static_cast<Index>(rng.uniform_open() * levels);
      entries.emplace_back(i, f * levels + level, level % 2 == 0 ? 0.5 : 2.0);
    }
  }
  SparseMatrix a(n, features * levels);
  a.setFromTriplets(entries.begin(), entries.end());
  const auto f = find_row_patterns(a);
  ASSERT_TRUE(f.has_value());
  expect_exact_factorisation(a, *f);
  for (Index i = 0; i < n; i += 10) {
    EXPECT_EQ(f->indicator.outerIndexPtr()[i + 1], f->indicator.outerIndexPtr()[i]) << i;
  }
}

TEST(RowPatterns, NoFactorisationWithoutRepeatedPatternsOrForSmallData) {
  // Continuous values: no two rows share a pattern.
  Rng rng(8);
  const Index n = 2000, d = 30;
  std::vector<Eigen::Triplet<double, std::int64_t>> entries;
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < d; ++j) {
      if (rng.uniform_open() < 0.3) entries.emplace_back(i, j, rng.normal());
    }
  }
  SparseMatrix a(n, d);
  a.setFromTriplets(entries.begin(), entries.end());
  EXPECT_FALSE(find_row_patterns(a).has_value());
  // Fewer rows than are worth the trouble, and no entries at all.
  const Dataset ds = read_libsvm(testing::mushrooms_path());
  EXPECT_FALSE(find_row_patterns(ds.sparse().topRows(100)).has_value());
  EXPECT_FALSE(find_row_patterns(SparseMatrix(1000, 10)).has_value());
}

}  // namespace
}  // namespace signopt
