#include "signopt/problems/logistic_regression.hpp"

#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>

#include <cmath>
#include <numeric>

#include "finite_difference.hpp"
#include "signopt/core/error.hpp"
#include "signopt/data/libsvm_reader.hpp"
#include "test_support.hpp"

namespace signopt {
namespace {

using testing::finite_difference_gradient;
using testing::relative_error;

std::shared_ptr<const Dataset> mushrooms() {
  static const auto data =
      std::make_shared<const Dataset>(read_libsvm(testing::mushrooms_path()));
  return data;
}

// Straightforward dense reference: loops over rows with log(1 + exp(·)).
struct DenseReference {
  RowMatrix a;
  Vector y;
  double lambda;

  double value(const Vector& w) const {
    double s = 0;
    for (Index i = 0; i < a.rows(); ++i) s += std::log1p(std::exp(-y[i] * a.row(i).dot(w)));
    return s / static_cast<double>(a.rows()) + 0.5 * lambda * w.squaredNorm();
  }
  Vector gradient(const Vector& w) const {
    Vector g = Vector::Zero(w.size());
    for (Index i = 0; i < a.rows(); ++i) {
      const double m = y[i] * a.row(i).dot(w);
      g += (-y[i] / (1 + std::exp(m))) * a.row(i).transpose();
    }
    return g / static_cast<double>(a.rows()) + lambda * w;
  }
};

Vector random_point(Index d, std::uint64_t seed, double scale) {
  Rng rng(seed);
  Vector w(d);
  for (auto& v : w) v = scale * rng.normal();
  return w;
}

TEST(LogisticRegression, MatchesDenseReferenceOnMushrooms) {
  const auto data = mushrooms();
  const LogisticRegression f(data, 0.5);
  const DenseReference ref{RowMatrix(data->sparse()), data->labels.cast<double>(), 0.5};
  const Vector w = random_point(112, 1, 0.3);
  Vector g;
  const double v = f.value_and_gradient(w, g);
  EXPECT_NEAR(v, ref.value(w), 1e-12);
  EXPECT_LT(relative_error(g, ref.gradient(w)), 1e-12);
  EXPECT_NEAR(f.value(w), v, 0.0);
  // Dense storage of the same data gives the same numbers.
  auto dense = std::make_shared<Dataset>(*data);
  dense->features = RowMatrix(data->sparse());
  const LogisticRegression fd(dense, 0.5);
  Vector gd;
  EXPECT_NEAR(fd.value_and_gradient(w, gd), v, 1e-12);
  EXPECT_LT(relative_error(gd, g), 1e-13);
}

TEST(LogisticRegression, GradientMatchesFiniteDifferences) {
  const auto data = std::make_shared<const Dataset>(
      parse_libsvm("1 1:0.5 2:-1 3:2\n-1 1:1 3:-0.5\n1 2:0.3\n-1 1:-2 2:1 3:1\n", "t"));
  const LogisticRegression f(data, 0.1);
  const Vector w = random_point(3, 2, 1.0);
  Vector g;
  f.gradient(w, g);
  EXPECT_LT(relative_error(g, finite_difference_gradient(f, w)), 1e-8);
}

TEST(LogisticRegression, StableForHugeMargins) {
  const auto data = std::make_shared<const Dataset>(parse_libsvm("1 1:1\n-1 1:1\n", "t"));
  const LogisticRegression f(data, 0.0);
  Vector w(1);
  w << 1000.0;  // margins +1000 and −1000
  Vector g;
  const double v = f.value_and_gradient(w, g);
  EXPECT_TRUE(std::isfinite(v));
  EXPECT_NEAR(v, 500.0, 1e-9);   // (log(1+e^−1000) + log(1+e^1000)) / 2
  EXPECT_NEAR(g[0], 0.5, 1e-12);  // (−σ(−1000) + σ(1000)) / 2
}

TEST(LogisticRegression, ManyPointsAreBitIdenticalToSinglePoints) {
  const LogisticRegression f(mushrooms(), 1.0);
  Matrix points(112, 13);  // blocks of 8 and 4 and a single point
  for (Index j = 0; j < points.cols(); ++j) points.col(j) = random_point(112, 10 + static_cast<std::uint64_t>(j), 0.2);
  Vector values;
  Matrix grads;
  f.value_and_gradient_many(points, values, grads);
  for (Index j = 0; j < points.cols(); ++j) {
    Vector g;
    const double v = f.value_and_gradient(points.col(j), g);
    EXPECT_EQ(v, values[j]);
    EXPECT_EQ(g, grads.col(j)) << "column " << j;
  }
}

TEST(LogisticRegression, MinibatchOverAllRowsIsTheFullGradient) {
  const auto data = mushrooms();
  const LogisticRegression f(data, 1.0);
  const Vector w = random_point(112, 3, 0.1);
  std::vector<Index> all(static_cast<std::size_t>(data->rows()));
  std::iota(all.begin(), all.end(), Index{0});
  Vector g_full, g_batch;
  f.gradient(w, g_full);
  // Over every row the minibatch's data loss is the full data loss f − (λ/2)‖w‖².
  const double loss_all = f.minibatch_gradient(w, all, g_batch);
  EXPECT_LT(relative_error(g_batch, g_full), 1e-14);
  EXPECT_NEAR(loss_all, f.value(w) - 0.5 * w.squaredNorm(), 1e-13);
  // A single row: −y σ(−y a·w) a + λw, and its loss log(1 + e^{−y a·w}).
  const std::vector<Index> one{5};
  const double loss_one = f.minibatch_gradient(w, one, g_batch);
  const Vector a = RowMatrix(data->sparse()).row(5).transpose();
  const double y = data->labels[5];
  const Vector expected = (-y / (1 + std::exp(y * a.dot(w)))) * a + w;
  EXPECT_LT(relative_error(g_batch, expected), 1e-14);
  EXPECT_NEAR(loss_one, std::log1p(std::exp(-y * a.dot(w))), 1e-14);
  const std::vector<Index> bad{data->rows()};
  EXPECT_THROW(f.minibatch_gradient(w, bad, g_batch), Error);
}

TEST(LogisticRegression, TestMetricsAndConstants) {
  const auto train = std::make_shared<const Dataset>(parse_libsvm("1 1:1\n-1 1:-1\n", "t"));
  const auto test = std::make_shared<const Dataset>(parse_libsvm("1 1:2\n-1 1:1\n1 1:-3\n", "t"));
  const LogisticRegression f(train, 1.0, test);
  Vector w(1);
  w << 1.0;
  const auto metrics = f.test_metrics(w);
  ASSERT_EQ(metrics.size(), 2u);
  EXPECT_EQ(metrics[0].name, "test_loss");
  EXPECT_NEAR(metrics[0].value, (std::log1p(std::exp(-2.0)) + std::log1p(std::exp(1.0)) + std::log1p(std::exp(3.0))) / 3, 1e-12);
  EXPECT_EQ(metrics[1].name, "test_accuracy");
  EXPECT_NEAR(metrics[1].value, 1.0 / 3.0, 1e-15);

  const LogisticRegression m(mushrooms(), 1.0);
  // The seed's heuristic: L = R² + λ = 22, L1 = R + λ, L0 = λ (R = √21 on Mushrooms).
  const auto seed = m.seed_constants();
  EXPECT_NEAR(*seed.L, 22.0, 1e-12);
  EXPECT_NEAR(seed.L1, std::sqrt(21.0) + 1.0, 1e-12);
  EXPECT_EQ(seed.L0, 1.0);
  EXPECT_EQ(m.lower_bound(), 0.0);
}

RowMatrix dense_features(const Dataset& data) {
  if (data.is_sparse()) return RowMatrix(data.sparse().toDense());
  return data.dense();
}

// The proved constants: L = λ_max(AᵀA)/(4n) + λ with λ_max by power iteration, against a dense
// eigen-solve of AᵀA.
TEST(LogisticRegression, SmoothConstantsMatchADenseEigenSolve) {
  const auto data = mushrooms();
  const LogisticRegression m(data, 0.5);
  const RowMatrix a = dense_features(*data);
  const Matrix gram = a.transpose() * a;
  const Eigen::SelfAdjointEigenSolver<Matrix> eig(gram);
  const double lambda_max = eig.eigenvalues().maxCoeff();
  EXPECT_NEAR(m.gram_lambda_max(), lambda_max, 1e-8 * lambda_max);
  EXPECT_GE(m.gram_lambda_max(), lambda_max * (1 - 1e-12));  // an upper value, up to rounding
  const auto c = m.analytic_constants();
  ASSERT_TRUE(c.has_value());
  const double n = static_cast<double>(data->rows());
  EXPECT_NEAR(c->L0, lambda_max / (4 * n) + 0.5, 1e-9);
  EXPECT_EQ(c->L1, 0.0);
  EXPECT_EQ(*c->L, c->L0);
  // Tighter than the seed's R² + λ = 21.5 (no valid (L0, L1) pair can be below the curvature).
  EXPECT_LT(c->L0, 21.5 / 4);
  // Valid: the Hessian's norm at random points never exceeds L (finite differences of ∇f).
  Rng rng(3);
  for (int trial = 0; trial < 5; ++trial) {
    Vector w(m.dim()), v(m.dim()), g1, g2;
    for (Index i = 0; i < m.dim(); ++i) {
      w[i] = rng.normal();
      v[i] = rng.normal();
    }
    v.normalize();
    const double h = 1e-5;
    m.gradient(w + h * v, g1);
    m.gradient(w - h * v, g2);
    EXPECT_LE((g1 - g2).norm() / (2 * h), c->L0 * (1 + 1e-6));
  }
}

// Sparse rows with signed values: the power iteration's start is not special.
TEST(LogisticRegression, SmoothConstantsOnSignedFeatures) {
  const auto data = std::make_shared<const Dataset>(
      parse_libsvm("1 1:1 2:-2\n-1 1:-1 3:0.5\n1 2:3 3:-1\n-1 1:2 2:1 3:1\n", "t"));
  const LogisticRegression m(data, 0.0);
  const RowMatrix a = dense_features(*data);
  const Eigen::SelfAdjointEigenSolver<Matrix> eig(Matrix(a.transpose() * a));
  EXPECT_NEAR(m.gram_lambda_max(), eig.eigenvalues().maxCoeff(), 1e-8 * eig.eigenvalues().maxCoeff());
}

TEST(LogisticRegression, RejectsBadInput) {
  const auto multi = std::make_shared<const Dataset>(parse_libsvm("1 1:1\n2 1:1\n3 1:1\n", "t"));
  EXPECT_THROW(LogisticRegression(multi, 1.0), Error);
  EXPECT_THROW(LogisticRegression(mushrooms(), -1.0), Error);
  EXPECT_THROW(LogisticRegression(mushrooms(), std::nan("")), Error);
}

TEST(LogisticRegression, InterceptIsAConstantFeatureLeftOutOfTheRegulariser) {
  const auto base = std::make_shared<const Dataset>(
      parse_libsvm("1 1:0.5 2:-1\n-1 1:1\n1 2:0.3\n1 1:-2 2:1\n1 1:0.1\n", "t"));
  const auto data = std::make_shared<const Dataset>(with_constant_feature(*base));
  ASSERT_EQ(data->cols(), 3);
  const double lambda = 0.7;
  const LogisticRegression f(data, lambda, nullptr, true);
  EXPECT_TRUE(f.intercept());
  const Vector w = random_point(3, 5, 1.0);
  // f(w) = data term + λ/2 (w1² + w2²): the intercept w3 is not penalised.
  const LogisticRegression unregularised(data, 0.0);
  EXPECT_NEAR(f.value(w), unregularised.value(w) + 0.5 * lambda * w.head(2).squaredNorm(), 1e-14);
  EXPECT_DOUBLE_EQ(f.regularizer(w), 0.5 * lambda * w.head(2).squaredNorm());
  Vector g;
  f.gradient(w, g);
  EXPECT_LT(relative_error(g, finite_difference_gradient(f, w)), 1e-8);
  Vector g0;
  unregularised.gradient(w, g0);
  EXPECT_NEAR(g[2], g0[2], 1e-15);  // no λ·w3 in the intercept's partial derivative
  // Minibatch gradients agree with the full gradient over all rows.
  std::vector<Index> all(5);
  std::iota(all.begin(), all.end(), Index{0});
  Vector gm;
  f.minibatch_gradient(w, all, gm);
  EXPECT_LT(relative_error(gm, g), 1e-13);
  // The training pass reports the data term and the accuracy.
  Matrix points(3, 2);
  points.col(0) = w;
  points.col(1) = Vector::Zero(3);
  Vector values;
  Matrix grads;
  TrainingMetrics train;
  f.evaluate_training_pass(points, values, grads, train);
  EXPECT_NEAR(train.data_loss[0], unregularised.value(w), 1e-14);
  EXPECT_EQ(values[0], f.value(w));
  EXPECT_EQ(grads.col(0), g);
  // At w = 0 every margin is 0, counted as a +1 prediction: 4 of the 5 labels are +1.
  EXPECT_DOUBLE_EQ(train.accuracy[1], 0.8);
}

TEST(LogisticRegression, TrainingAccuracyMatchesACountByHand) {
  const auto data = mushrooms();
  const LogisticRegression f(data, 1.0);
  const Vector w = random_point(112, 9, 0.3);
  Matrix points(112, 1);
  points.col(0) = w;
  Vector values;
  Matrix grads;
  TrainingMetrics train;
  f.evaluate_training_pass(points, values, grads, train);
  const RowMatrix a(data->sparse());
  Index correct = 0;
  for (Index i = 0; i < a.rows(); ++i) {
    const double m = a.row(i).dot(w);
    correct += (m >= 0 ? 1 : -1) == data->labels[i] ? 1 : 0;
  }
  EXPECT_DOUBLE_EQ(train.accuracy[0], static_cast<double>(correct) / static_cast<double>(a.rows()));
  EXPECT_NEAR(train.data_loss[0], values[0] - 0.5 * w.squaredNorm(), 1e-12);
}

}  // namespace
}  // namespace signopt
