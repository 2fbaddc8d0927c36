#include "signopt/problems/reference_optimum.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <string>

#include "network_test_support.hpp"
#include "signopt/core/error.hpp"
#include "signopt/core/rng.hpp"
#include "signopt/data/libsvm_reader.hpp"
#include "signopt/problems/double_well.hpp"
#include "signopt/problems/logistic_regression.hpp"
#include "signopt/problems/quadratic.hpp"
#include "signopt/problems/quartic.hpp"
#include "signopt/problems/softmax_regression.hpp"
#include "test_support.hpp"

namespace signopt {
namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

std::shared_ptr<const Dataset> mushrooms() {
  static const auto data = std::make_shared<const Dataset>(read_libsvm(testing::mushrooms_path()));
  return data;
}

Vector normal_vector(Index d, double scale, std::uint64_t seed) {
  Rng rng(seed);
  Vector v(d);
  for (auto& x : v) x = scale * rng.normal();
  return v;
}

// n × d Gaussian features with ±1 labels from a noisy linear rule (not separable).
std::shared_ptr<const Dataset> small_binary_dataset(Index n, Index d, std::uint64_t seed) {
  Rng rng(seed);
  auto data = std::make_shared<Dataset>();
  data->source = "small";
  RowMatrix a(n, d);
  data->labels.resize(n);
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < d; ++j) a(i, j) = rng.normal();
    data->labels[i] = a(i, 0) + 0.8 * rng.normal() > 0 ? 1 : -1;
  }
  data->features = std::move(a);
  return data;
}

// Gradient descent x ← x − ∇f(x)/L for a fixed number of steps: the slow, obviously correct
// method the reference solve is checked against (it needs nothing but the gradient and L).
double gradient_descent_minimum(const Problem& f, double L, Index steps) {
  Vector x = Vector::Zero(f.dim()), g;
  for (Index k = 0; k < steps; ++k) {
    f.gradient(x, g);
    x -= g / L;
  }
  return f.value(x);
}

TEST(ReferenceOptimum, QuadraticClosedForm) {
  Matrix a(2, 2);
  a << 2, 1, 1, 3;
  const Vector minimizer = Vector::LinSpaced(2, -1.0, 4.0);
  const Quadratic q(a, minimizer);
  EXPECT_TRUE(q.is_convex());
  const auto r = solve_reference_optimum(q, Vector::Ones(2));
  EXPECT_EQ(r.method, "closed form");
  EXPECT_EQ(r.value, 0.0);
  EXPECT_EQ(r.point, minimizer);
  EXPECT_EQ(r.gradient_norm, 0.0);
  EXPECT_EQ(q.value(r.point), r.value);
  EXPECT_NE(r.note.find("closed form"), std::string::npos);
}

TEST(ReferenceOptimum, QuarticClosedForm) {
  const Quartic q(4);
  const auto r = solve_reference_optimum(q, Vector::Ones(4));
  EXPECT_EQ(r.method, "closed form");
  EXPECT_EQ(r.value, 0.0);
  EXPECT_TRUE(r.point.isZero(0.0));
  EXPECT_EQ(r.gradient_norm, 0.0);
}

TEST(ReferenceOptimum, LogisticHessianMatchesFiniteDifferencesOfTheGradient) {
  const auto data = mushrooms();
  const LogisticRegression f(data, 0.01);
  const Vector w = normal_vector(f.dim(), 0.3, 5);
  const auto h = f.dense_hessian(w);
  ASSERT_TRUE(h.has_value());
  ASSERT_EQ(h->rows(), f.dim());
  EXPECT_TRUE(h->isApprox(h->transpose(), 0.0));
  const double step = 1e-5;
  Matrix fd(f.dim(), f.dim());
  Vector gp, gm, x = w;
  for (Index j = 0; j < f.dim(); ++j) {
    x[j] = w[j] + step;
    f.gradient(x, gp);
    x[j] = w[j] - step;
    f.gradient(x, gm);
    x[j] = w[j];
    fd.col(j) = (gp - gm) / (2 * step);
  }
  EXPECT_LT((*h - fd).norm(), 1e-7 * h->norm());
  // The check can fail: the Hessian without the λI term is off by λ√d in Frobenius norm.
  const Matrix without_lambda = *h - 0.01 * Matrix::Identity(f.dim(), f.dim());
  EXPECT_GT((without_lambda - fd).norm(), 1e-3 * h->norm());
}

TEST(ReferenceOptimum, LogisticHasNoDenseHessianAboveItsLimit) {
  auto data = std::make_shared<Dataset>();
  data->source = "wide";
  SparseMatrix a(2, LogisticRegression::kMaxDenseHessianDim + 1);
  a.insert(0, 0) = 1.0;
  a.insert(1, 5) = -1.0;
  a.makeCompressed();
  data->features = a;
  data->labels = Eigen::VectorXi::Ones(2);
  const LogisticRegression f(data, 1.0);
  EXPECT_FALSE(f.dense_hessian(Vector::Zero(f.dim())).has_value());
  // The solve then runs L-BFGS.
  EXPECT_EQ(solve_reference_optimum(f, Vector::Zero(f.dim())).method, "l-bfgs");
}

// Newton and L-BFGS reach the same f* on Mushrooms, each with a certificate, from 0 and from a
// random start; f* lies below f at 100 random points far from and near x*.
void check_mushrooms(double lambda) {
  SCOPED_TRACE(lambda);
  const LogisticRegression f(mushrooms(), lambda);
  const Vector zero = Vector::Zero(f.dim());
  const auto newton = solve_reference_optimum(f, zero, {.method = ReferenceMethod::newton});
  const auto lbfgs = solve_reference_optimum(f, zero, {.method = ReferenceMethod::lbfgs});
  const auto from_random = solve_reference_optimum(f, normal_vector(f.dim(), 1.0, 11));
  EXPECT_EQ(newton.method, "newton");
  EXPECT_EQ(lbfgs.method, "l-bfgs");
  EXPECT_EQ(from_random.method, "newton");
  for (const auto* r : {&newton, &lbfgs, &from_random}) {
    EXPECT_LE(r->gradient_norm * r->gradient_norm / (2 * lambda), 1e-12 * r->value) << r->note;
    EXPECT_EQ(f.value(r->point), r->value);
    EXPECT_NE(r->note.find("mu = "), std::string::npos) << r->note;
  }
  EXPECT_LE(std::abs(newton.value - lbfgs.value), 1e-12 * newton.value);
  EXPECT_LE(std::abs(newton.value - from_random.value), 1e-12 * newton.value);
  EXPECT_LT((newton.point - lbfgs.point).norm(), 1e-5 * std::max(1.0, newton.point.norm()));
  for (int k = 0; k < 100; ++k) {
    const Vector far = normal_vector(f.dim(), 1.0, 100 + static_cast<std::uint64_t>(k));
    const Vector near =
        newton.point + normal_vector(f.dim(), 1e-3, 300 + static_cast<std::uint64_t>(k));
    EXPECT_GT(f.value(far), newton.value);
    EXPECT_GT(f.value(near), newton.value);
  }
}

TEST(ReferenceOptimum, MushroomsLambdaOne) { check_mushrooms(1.0); }
TEST(ReferenceOptimum, MushroomsLambdaOneThousandth) { check_mushrooms(1e-3); }

TEST(ReferenceOptimum, MushroomsLambdaOneIsFast) {
  const LogisticRegression f(mushrooms(), 1.0);
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = solve_reference_optimum(f, Vector::Zero(f.dim()));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.method, "newton");
  EXPECT_LT(seconds, 0.5) << "(bench/README.md records the figure on an idle machine)";
}

// Independent cross-check: gradient descent with step 1/L, L = R² + λ ≥ ‖∇²f‖, run long enough
// that its linear rate (1 − λ/L)^k has gone far below 1e-12.
TEST(ReferenceOptimum, LogisticAgreesWithLongGradientDescent) {
  const LogisticRegression f(small_binary_dataset(60, 4, 7), 0.1);
  const double L = *f.analytic_constants()->L;
  const double gd = gradient_descent_minimum(f, L, 20000);
  const auto r = solve_reference_optimum(f, Vector::Zero(f.dim()));
  EXPECT_LE(std::abs(r.value - gd), 1e-12 * gd);
  EXPECT_LE(r.value, gd + 1e-15);
  const auto lbfgs =
      solve_reference_optimum(f, Vector::Zero(f.dim()), {.method = ReferenceMethod::lbfgs});
  EXPECT_LE(std::abs(lbfgs.value - gd), 1e-12 * gd);
  // The comparison can fail: gradient descent stopped early is visibly above f*.
  EXPECT_GT(gradient_descent_minimum(f, L, 5) - r.value, 1e-6);
}

TEST(ReferenceOptimum, SoftmaxAgreesWithLongGradientDescent) {
  const auto data = testing::random_dataset(40, 3, 3, 9);
  const SoftmaxRegression f(data, nullptr, {.l2 = 0.1});
  const double L = *f.analytic_constants()->L;
  const double gd = gradient_descent_minimum(f, L, 20000);
  const auto r = solve_reference_optimum(f, Vector::Zero(f.dim()));
  EXPECT_EQ(r.method, "l-bfgs");
  EXPECT_LE(std::abs(r.value - gd), 1e-12 * gd) << r.note;
  EXPECT_LE(r.gradient_norm * r.gradient_norm / (2 * 0.1), 1e-12 * r.value);
  EXPECT_NE(error_of([&] {
              solve_reference_optimum(f, Vector::Zero(f.dim()),
                                      {.method = ReferenceMethod::newton});
            }).find("no dense Hessian"),
            std::string::npos);
}

TEST(ReferenceOptimum, RefusesLambdaZeroOnSeparableData) {
  auto data = std::make_shared<Dataset>();
  data->source = "separable";
  RowMatrix a(4, 2);
  a << 1, 0.5, 2, -1, -1, 0.3, -3, 1;
  data->features = a;
  data->labels.resize(4);
  data->labels << 1, 1, -1, -1;  // the sign of the first feature: separable
  const LogisticRegression f(data, 0.0);
  EXPECT_TRUE(f.is_convex());
  EXPECT_FALSE(f.strong_convexity().has_value());
  const std::string message = error_of([&] { solve_reference_optimum(f, Vector::Zero(2)); });
  EXPECT_NE(message.find("not strongly convex"), std::string::npos) << message;
  EXPECT_NE(message.find("no minimiser"), std::string::npos) << message;
  // With λ > 0 the same data has a minimiser and the solve succeeds.
  EXPECT_NO_THROW(solve_reference_optimum(LogisticRegression(data, 0.1), Vector::Zero(2)));

  const SoftmaxRegression softmax(testing::random_dataset(10, 2, 3, 1));
  EXPECT_NE(error_of([&] {
              solve_reference_optimum(softmax, Vector::Zero(softmax.dim()));
            }).find("not strongly convex"),
            std::string::npos);
}

TEST(ReferenceOptimum, RefusesNonConvexProblems) {
  const DoubleWell f(3);
  EXPECT_FALSE(f.is_convex());
  const std::string message = error_of([&] { solve_reference_optimum(f, Vector::Zero(3)); });
  EXPECT_NE(message.find("not convex"), std::string::npos) << message;
}

TEST(ReferenceOptimum, ReportsNoConvergenceWithinMaxIterations) {
  const LogisticRegression f(mushrooms(), 1e-3);
  for (auto method : {ReferenceMethod::newton, ReferenceMethod::lbfgs}) {
    const std::string message = error_of([&] {
      solve_reference_optimum(f, Vector::Zero(f.dim()), {.max_iterations = 2, .method = method});
    });
    EXPECT_NE(message.find("max_iterations after 2 iterations"), std::string::npos) << message;
  }
  EXPECT_NE(error_of([&] {
              solve_reference_optimum(f, Vector::Zero(3));
            }).find("start point has 3 entries"),
            std::string::npos);
}

}  // namespace
}  // namespace signopt
