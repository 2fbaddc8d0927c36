#include "signopt/data/libsvm_reader.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "signopt/core/error.hpp"
#include "test_support.hpp"

namespace signopt {
namespace {

using testing::TempDir;

// Expects parse_libsvm(text) to throw an Error whose message contains every fragment.
void expect_error(const std::string& text, std::initializer_list<std::string> fragments,
                  const LibsvmOptions& options = {}) {
  try {
    (void)parse_libsvm(text, "bad.svm", options);
    FAIL() << "no error for: " << text;
  } catch (const Error& e) {
    const std::string msg = e.what();
    for (const auto& f : fragments) EXPECT_NE(msg.find(f), std::string::npos) << msg;
  }
}

TEST(LibsvmReader, ParsesSparseRowsCommentsAndBlankLines) {
  const std::string text =
      "# header comment\n"
      "+1 1:0.5 3:-2\n"
      "\n"
      "-1 2:1e-3   4:4 # trailing comment\r\n"
      "1\n";  // a row with no features
  const Dataset d = parse_libsvm(text, "t");
  EXPECT_EQ(d.rows(), 3);
  EXPECT_EQ(d.cols(), 4);
  EXPECT_EQ(d.nnz(), 4);
  ASSERT_TRUE(d.is_sparse());
  EXPECT_DOUBLE_EQ(d.sparse().coeff(0, 0), 0.5);
  EXPECT_DOUBLE_EQ(d.sparse().coeff(0, 2), -2.0);
  EXPECT_DOUBLE_EQ(d.sparse().coeff(1, 1), 1e-3);
  EXPECT_DOUBLE_EQ(d.sparse().coeff(1, 3), 4.0);
  EXPECT_EQ(d.label_kind, LabelKind::Binary);
  EXPECT_EQ(d.labels[0], 1);
  EXPECT_EQ(d.labels[1], -1);
  EXPECT_EQ(d.labels[2], 1);
}

TEST(LibsvmReader, MapsBinaryLabelConventionsToPlusMinusOne) {
  for (const auto& [lo, hi] : std::vector<std::pair<std::string, std::string>>{
           {"-1", "1"}, {"0", "1"}, {"1", "2"}}) {
    const Dataset d = parse_libsvm(hi + " 1:1\n" + lo + " 1:2\n", "t");
    EXPECT_EQ(d.label_kind, LabelKind::Binary);
    EXPECT_EQ(d.labels[0], 1) << lo << "/" << hi;
    EXPECT_EQ(d.labels[1], -1) << lo << "/" << hi;
  }
}

TEST(LibsvmReader, KeepsMultiClassLabelsAsClassIds) {
  const Dataset d = parse_libsvm("3 1:1\n1 1:1\n7 1:1\n3 2:1\n", "t");
  EXPECT_EQ(d.label_kind, LabelKind::MultiClass);
  EXPECT_EQ(d.num_classes, 3);
  EXPECT_EQ(d.labels[0], 1);
  EXPECT_EQ(d.labels[1], 0);
  EXPECT_EQ(d.labels[2], 2);
  EXPECT_EQ(d.class_values, (std::vector<double>{1, 3, 7}));
}

TEST(LibsvmReader, FixedNumberOfFeatures) {
  LibsvmOptions o;
  o.num_features = 10;
  EXPECT_EQ(parse_libsvm("1 2:1\n-1 3:1\n", "t", o).cols(), 10);
  expect_error("1 11:1\n", {"bad.svm:1:3", "exceeds the declared 10 features"}, o);
}

TEST(LibsvmReader, MalformedInputNamesFileLineAndColumn) {
  expect_error("1 1:1\nx 1:1\n", {"bad.svm:2:1", "label 'x' is not a number"});
  expect_error("1 1:1 2\n", {"bad.svm:1:7", "expected index:value"});
  expect_error("1 0:1\n", {"bad.svm:1:3", "feature index 0", "1-based"});
  expect_error("1 -3:1\n", {"bad.svm:1:3", "feature index -3"});
  expect_error("1 a:1\n", {"bad.svm:1:3", "'a' is not an integer"});
  expect_error("1 1:abc\n", {"bad.svm:1:5", "feature value 'abc' is not a number"});
  expect_error("1 1:\n", {"bad.svm:1:5", "is not a number"});
  expect_error("1 1:nan\n", {"bad.svm:1:5", "not finite"});
  expect_error("1 1:inf\n", {"not finite"});
  expect_error("1 2:1 2:3\n", {"bad.svm:1:7", "duplicate feature index 2"});
  expect_error("1 3:1 2:3\n", {"bad.svm:1:7", "indices must increase"});
  expect_error("1.5 1:1\n", {"bad.svm:1:1", "not an integer class label"});
  expect_error("# only a comment\n\n", {"bad.svm", "contains no samples"});
}

TEST(LibsvmReader, FileErrors) {
  TempDir dir;
  try {
    (void)read_libsvm(dir / "missing.svm");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("missing.svm: no such file"), std::string::npos);
  }
  const auto empty = dir.write("empty.svm", "");
  try {
    (void)read_libsvm(empty);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("empty.svm: file is empty"), std::string::npos);
  }
}

TEST(LibsvmReader, ReadsMushrooms) {
  const Dataset d = read_libsvm(testing::mushrooms_path());
  EXPECT_EQ(d.rows(), 8124);
  EXPECT_EQ(d.cols(), 112);
  EXPECT_EQ(d.nnz(), 8124 * 21);
  EXPECT_EQ(d.label_kind, LabelKind::Binary);
  EXPECT_EQ((d.labels.array() > 0).count(), 4208);  // label 2 in the file
  EXPECT_NEAR(d.max_row_norm(), std::sqrt(21.0), 1e-12);
}

// Issue 20: a 21 KB file with one feature index of 10^9 made every run allocate vectors of that
// length (24 GB); an index of 2^63 − 1 overflowed `data info`. Both are refused where they stand.
TEST(LibsvmReader, FeatureIndexAboveTheLimitIsRefused) {
  expect_error("1 1:1\n-1 3:1 1000000000:2\n",
               {"bad.svm:2:8", "feature index 1000000000 exceeds the limit of 16777216 features", "128 MiB"});
  expect_error("1 9223372036854775807:1\n", {"bad.svm:1:3", "9223372036854775807 exceeds the limit"});
  expect_error("1 9223372036854775808:1\n", {"bad.svm:1:3", "is not an integer"});
  // At the limit a file still reads (d is what the data uses), and the limit can be lowered.
  EXPECT_EQ(parse_libsvm("1 16777216:1\n-1 1:1\n", "t").cols(), Index{1} << 24);
  LibsvmOptions small;
  small.max_features = 3;
  expect_error("1 4:1\n", {"bad.svm:1:3", "exceeds the limit of 3 features"}, small);
  LibsvmOptions declared;
  declared.num_features = Index{1} << 30;
  expect_error("1 1:1\n", {"bad.svm", "1073741824 features exceed the limit of 16777216"}, declared);
}

TEST(LibsvmReader, HugeValuesAndFifosAreRefused) {
  expect_error("1 1:1e300\n", {"bad.svm:1:5", "feature value '1e300' exceeds the limit of ±1e100"});
  EXPECT_DOUBLE_EQ(parse_libsvm("1 1:-1e100\n", "t").sparse().coeff(0, 0), -1e100);
  TempDir dir;
  const auto fifo = dir / "fifo.svm";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  try {
    (void)read_libsvm(fifo);  // must not block waiting for a writer
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("not a regular file"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace signopt
