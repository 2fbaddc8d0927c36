#include "signopt/problems/softmax_regression.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <string>

#include "network_test_support.hpp"
#include "signopt/core/error.hpp"

namespace signopt {
namespace {

using testing::finite_difference_gradient;
using testing::random_dataset;
using testing::random_vector;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(SoftmaxRegression, ValueAtZeroIsLogK) {
  const auto data = random_dataset(30, 4, 5, 1);
  const SoftmaxRegression problem(data);
  EXPECT_EQ(problem.dim(), 5 * 4 + 5);
  EXPECT_EQ(problem.num_samples(), 30);
  EXPECT_EQ(problem.name(), "softmax_regression");
  Rng rng(0);
  const Vector x0 = problem.initial_point(rng);
  EXPECT_TRUE(x0.isZero(0.0));
  EXPECT_NEAR(problem.value(x0), std::log(5.0), 1e-14);
  EXPECT_EQ(problem.lower_bound(), 0.0);
}

TEST(SoftmaxRegression, GradientMatchesFiniteDifferences) {
  const auto data = random_dataset(25, 3, 4, 2);
  const SoftmaxRegression problem(data, nullptr, {.l2 = 0.05});
  const Vector x = random_vector(problem.dim(), 0.8, 3);
  Vector grad;
  const double f = problem.value_and_gradient(x, grad);
  EXPECT_DOUBLE_EQ(f, problem.value(x));
  const Vector fd =
      finite_difference_gradient([&](const Vector& y) { return problem.value(y); }, x, 1e-5);
  EXPECT_LT((grad - fd).norm(), 1e-8 * grad.norm()) << grad.transpose() << "\n" << fd.transpose();
}

TEST(SoftmaxRegression, InterceptsAreLeftOutOfThePenalty) {
  const auto data = random_dataset(25, 3, 4, 2);
  const double lambda = 0.3;
  const SoftmaxRegression with(data, nullptr, {.l2 = lambda, .intercept = true});
  const SoftmaxRegression unpenalised(data, nullptr, {.l2 = 0.0});
  const Vector x = random_vector(with.dim(), 0.8, 3);
  // Parameters are W (4×3) then b (4): only W is penalised.
  const Index weights = with.dim() - 4;
  EXPECT_NEAR(with.value(x), unpenalised.value(x) + 0.5 * lambda * x.head(weights).squaredNorm(), 1e-14);
  EXPECT_DOUBLE_EQ(with.regularizer(x), 0.5 * lambda * x.head(weights).squaredNorm());
  Vector g, g0;
  with.value_and_gradient(x, g);
  unpenalised.value_and_gradient(x, g0);
  EXPECT_EQ(g.tail(4), g0.tail(4));
  const Vector fd = finite_difference_gradient([&](const Vector& y) { return with.value(y); }, x, 1e-5);
  EXPECT_LT((g - fd).norm(), 1e-8 * g.norm());
  // Shifting every bias by the same constant changes nothing: no strong convexity to certify f*.
  EXPECT_FALSE(with.strong_convexity().has_value());
  EXPECT_EQ(SoftmaxRegression(data, nullptr, {.l2 = lambda}).strong_convexity(), lambda);
}

TEST(SoftmaxRegression, HandMadeTestSetAccuracyAndLoss) {
  // d = 2, K = 3: class scores z = W a with rows (1, 0), (0, 1), (−1, −1) and b = 0.
  auto train = testing::random_dataset(4, 2, 3, 4);
  auto test = std::make_shared<Dataset>();
  RowMatrix a(4, 2);
  a << 2, 0,   // scores (2, 0, −2): predicts 0, label 0 ✓
      0, 2,    // scores (0, 2, −2): predicts 1, label 1 ✓
      -1, -1,  // scores (−1, −1, 2): predicts 2, label 2 ✓
      2, 0;    // predicts 0, label 1 ✗
  test->features = a;
  test->labels.resize(4);
  test->labels << 0, 1, 2, 1;
  test->label_kind = LabelKind::MultiClass;
  test->num_classes = 3;
  const SoftmaxRegression problem(train, test);
  Vector x = Vector::Zero(problem.dim());
  // W is 3×2 column-major: W(r, c) at c·3 + r.
  x[0] = 1;   // W(0,0)
  x[4] = 1;   // W(1,1)
  x[2] = -1;  // W(2,0)
  x[5] = -1;  // W(2,1)
  const auto metrics = problem.test_metrics(x);
  ASSERT_EQ(metrics.size(), 2u);
  EXPECT_EQ(metrics[0].name, "test_loss");
  EXPECT_EQ(metrics[1].name, "test_accuracy");
  EXPECT_DOUBLE_EQ(metrics[1].value, 0.75);
  const double l1 = std::log(std::exp(2.0) + 1 + std::exp(-2.0)) - 2;
  const double l3 = std::log(2 * std::exp(-1.0) + std::exp(2.0)) - 2;
  const double l4 = std::log(std::exp(2.0) + 1 + std::exp(-2.0)) - 0;
  EXPECT_NEAR(metrics[0].value, (l1 + l1 + l3 + l4) / 4, 1e-14);
}

TEST(SoftmaxRegression, NoTestSetGivesNoMetrics) {
  const SoftmaxRegression problem(random_dataset(5, 2, 2, 5));
  EXPECT_TRUE(problem.test_metrics(Vector::Zero(problem.dim())).empty());
  EXPECT_FALSE(problem.has_test_set());
}

TEST(SoftmaxRegression, BinaryPlusMinusOneLabelsBecomeTwoClasses) {
  auto binary = std::make_shared<Dataset>();
  RowMatrix a(3, 1);
  a << 1, -2, 3;
  binary->features = a;
  binary->labels.resize(3);
  binary->labels << 1, -1, 1;
  binary->label_kind = LabelKind::Binary;
  binary->num_classes = 2;
  const SoftmaxRegression problem(binary);
  EXPECT_EQ(problem.dim(), 4);
  // With W = (0, w), b = 0 the two-class softmax loss is the logistic loss log(1 + e^{−y w a}).
  Vector x(4);
  x << 0, 0.5, 0, 0;
  const double w = 0.5;
  const double want =
      (std::log1p(std::exp(-w * 1)) + std::log1p(std::exp(-w * 2)) + std::log1p(std::exp(-w * 3))) /
      3;
  EXPECT_NEAR(problem.value(x), want, 1e-14);
  EXPECT_DOUBLE_EQ(problem.train_accuracy(x), 1.0);
}

TEST(SoftmaxRegression, SparseFeaturesGiveTheSameResultsAsDense) {
  const auto dense = random_dataset(20, 6, 3, 6);
  auto sparse = std::make_shared<Dataset>(*dense);
  RowMatrix a = dense->dense();
  a = (a.array().abs() < 0.7).select(0.0, a);  // make it actually sparse
  dense->features = a;
  sparse->features = SparseMatrix(a.sparseView());
  const Vector x = random_vector(3 * 6 + 3, 0.5, 7);
  for (const auto precision : {Precision::Float64, Precision::Float32}) {
    const SoftmaxRegression p_dense(dense, nullptr, {.precision = precision});
    const SoftmaxRegression p_sparse(sparse, nullptr, {.precision = precision});
    Vector g_dense, g_sparse;
    EXPECT_DOUBLE_EQ(p_dense.value_and_gradient(x, g_dense),
                     p_sparse.value_and_gradient(x, g_sparse));
    EXPECT_EQ(g_dense, g_sparse);
  }
}

TEST(SoftmaxRegression, SmoothnessConstantBoundsTheHessian) {
  // Largest Hessian eigenvalue by power iteration on finite-difference Hessian-vector products.
  const auto data = random_dataset(40, 3, 3, 8);
  const double l2 = 0.1;
  const SoftmaxRegression problem(data, nullptr, {.l2 = l2});
  const auto constants = problem.analytic_constants();
  ASSERT_TRUE(constants.has_value());
  ASSERT_TRUE(constants->L.has_value());
  double max_sq = 0;
  for (Index i = 0; i < data->rows(); ++i) {
    max_sq = std::max(max_sq, data->dense().row(i).squaredNorm());
  }
  EXPECT_NEAR(*constants->L, 0.5 * (max_sq + 1) + l2, 1e-12);
  EXPECT_EQ(constants->L0, *constants->L);
  EXPECT_EQ(constants->L1, 0.0);

  double largest = 0.0;
  for (std::uint64_t seed = 10; seed < 15; ++seed) {
    const Vector x = random_vector(problem.dim(), 1.0, seed);
    Vector v = random_vector(problem.dim(), 1.0, seed + 100).normalized();
    Vector g0, g1;
    problem.gradient(x, g0);
    double lambda = 0;
    for (int it = 0; it < 60; ++it) {
      problem.gradient(x + 1e-6 * v, g1);
      const Vector hv = (g1 - g0) / 1e-6;
      lambda = hv.norm();
      v = hv / lambda;
    }
    largest = std::max(largest, lambda);
  }
  EXPECT_LE(largest, *constants->L);
  EXPECT_GT(largest, l2);  // the data term contributes: the check is not vacuous
}

TEST(SoftmaxRegression, Float32ValueAndGradientAreCloseToFloat64) {
  const auto data = random_dataset(3000, 8, 4, 9);  // several chunks
  const SoftmaxRegression p64(data, nullptr, {.precision = Precision::Float64});
  const SoftmaxRegression p32(data, nullptr, {.precision = Precision::Float32});
  const Vector x = random_vector(p64.dim(), 0.3, 10);
  Vector g64, g32;
  const double f64 = p64.value_and_gradient(x, g64);
  const double f32 = p32.value_and_gradient(x, g32);
  EXPECT_NEAR(f32, f64, 1e-6 * f64);
  EXPECT_LT((g32 - g64).norm(), 1e-5 * g64.norm());
}

TEST(SoftmaxRegression, BadInputGivesClearErrors) {
  auto train = random_dataset(10, 3, 3, 11);
  EXPECT_NE(error_of([&] { SoftmaxRegression(train, nullptr, {.l2 = -1}); }).find("L2"),
            std::string::npos);
  EXPECT_THROW(SoftmaxRegression(nullptr), Error);

  auto wrong_width = random_dataset(5, 4, 3, 12);
  wrong_width->source = "wide.libsvm";
  const std::string width_error = error_of([&] { SoftmaxRegression(train, wrong_width); });
  EXPECT_NE(width_error.find("wide.libsvm has 4 features, the network expects 3"),
            std::string::npos)
      << width_error;

  auto bad_label = random_dataset(5, 3, 3, 13);
  bad_label->labels[2] = 7;
  const std::string label_error = error_of([&] { SoftmaxRegression(train, bad_label); });
  EXPECT_NE(label_error.find("row 2 has class id 7"), std::string::npos) << label_error;

  const SoftmaxRegression problem(train);
  Vector g;
  EXPECT_NE(error_of([&] { problem.value(Vector::Zero(3)); }).find("12 parameters"),
            std::string::npos);
  const std::vector<Index> outside{0, 10};
  EXPECT_NE(error_of([&] {
              problem.minibatch_gradient(Vector::Zero(12), outside, g);
            }).find("sample index 10 is outside [0, 10)"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              problem.minibatch_gradient(Vector::Zero(12), {}, g);
            }).find("at least one sample"),
            std::string::npos);
}

}  // namespace
}  // namespace signopt
