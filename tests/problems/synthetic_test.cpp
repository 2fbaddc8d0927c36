#include <gtest/gtest.h>

#include <Eigen/SVD>
#include <cmath>

#include "finite_difference.hpp"
#include "signopt/core/error.hpp"
#include "signopt/problems/cosh_sum.hpp"
#include "signopt/problems/double_well.hpp"
#include "signopt/problems/quadratic.hpp"
#include "signopt/problems/quartic.hpp"

namespace signopt {
namespace {

using testing::finite_difference_gradient;
using testing::relative_error;

Vector test_point(Index d, std::uint64_t seed) {
  Rng rng(seed);
  Vector x(d);
  for (auto& v : x) v = rng.normal();
  return x;
}

TEST(Quadratic, ValueGradientAndConstants) {
  Matrix a(2, 2);
  a << 3, 1, 1, 2;
  Vector star(2);
  star << 1, -1;
  const Quadratic q(a, star);
  Vector x(2);
  x << 2, 0;
  // r = (1, 1): ½ rᵀAr = ½ (3 + 2 + 2) = 3.5; ∇ = A r = (4, 3).
  EXPECT_DOUBLE_EQ(q.value(x), 3.5);
  Vector g;
  q.gradient(x, g);
  EXPECT_DOUBLE_EQ(g[0], 4.0);
  EXPECT_DOUBLE_EQ(g[1], 3.0);
  EXPECT_NEAR(q.analytic_constants()->L0, (5 + std::sqrt(5.0)) / 2, 1e-12);
  EXPECT_EQ(q.analytic_constants()->L1, 0.0);
  EXPECT_NEAR(relative_error(g, finite_difference_gradient(q, x)), 0.0, 1e-8);
}

TEST(Quadratic, DiagonalMatchesDense) {
  Vector lambdas(3);
  lambdas << 1, 10, 100;
  const Quadratic diag = Quadratic::diagonal(lambdas);
  const Quadratic dense(Matrix(lambdas.asDiagonal()));
  const Vector x = test_point(3, 1);
  EXPECT_NEAR(diag.value(x), dense.value(x), 1e-12);
  Vector g1, g2;
  diag.gradient(x, g1);
  dense.gradient(x, g2);
  EXPECT_LT((g1 - g2).norm(), 1e-12);
  EXPECT_EQ(diag.dim(), 3);
}

TEST(Quadratic, RejectsInvalidMatrices) {
  Matrix nonsym(2, 2);
  nonsym << 1, 2, 0, 1;
  EXPECT_THROW(Quadratic{nonsym}, Error);
  Matrix indefinite(2, 2);
  indefinite << 1, 0, 0, -1;
  EXPECT_THROW(Quadratic{indefinite}, Error);
  EXPECT_THROW(Quadratic(Matrix(2, 3)), Error);
  EXPECT_THROW(Quadratic::diagonal(-Vector::Ones(2)), Error);
}

TEST(Quartic, ClosedFormAndFiniteDifferences) {
  const Quartic q(10);
  const Vector x = test_point(10, 2);
  EXPECT_NEAR(q.value(x), std::pow(x.squaredNorm(), 2), 1e-12);
  Vector g;
  q.gradient(x, g);
  EXPECT_LT(relative_error(g, finite_difference_gradient(q, x)), 1e-7);
  EXPECT_EQ(q.initial_point(*std::make_unique<Rng>(0)), Vector::Ones(10));
}

// ‖∇²f‖ ≤ L0 + L1‖∇f‖ must hold at every point for the stated constants.
template <typename P>
void check_hessian_bound(const P& p, double radius) {
  const auto c = p.analytic_constants();
  ASSERT_TRUE(c.has_value());
  Rng rng(5);
  for (int trial = 0; trial < 200; ++trial) {
    Vector x(p.dim());
    for (auto& v : x) v = radius * (2 * rng.uniform() - 1);
    // Largest Hessian eigenvalue magnitude by finite differences of the gradient.
    Matrix h(p.dim(), p.dim());
    Vector gp, gm, e = Vector::Zero(p.dim());
    for (Index i = 0; i < p.dim(); ++i) {
      e[i] = 1e-6;
      p.gradient(x + e, gp);
      p.gradient(x - e, gm);
      h.col(i) = (gp - gm) / 2e-6;
      e[i] = 0;
    }
    const double hnorm = Eigen::JacobiSVD<Matrix>(h).singularValues()[0];
    Vector g;
    p.gradient(x, g);
    EXPECT_LE(hnorm, c->L0 + c->L1 * g.norm() + 1e-5 * (1 + hnorm)) << x.transpose();
  }
}

TEST(Quartic, SatisfiesItsL0L1Bound) { check_hessian_bound(Quartic(3), 2.0); }

TEST(DoubleWell, FiniteDifferencesNonConvexityAndBound) {
  const DoubleWell f(4);
  const Vector x = test_point(4, 3);
  Vector g;
  f.gradient(x, g);
  EXPECT_LT(relative_error(g, finite_difference_gradient(f, x)), 1e-7);
  // Minima at ±1 (value 0), and the midpoint of two minima is higher: not convex.
  EXPECT_EQ(f.value(Vector::Ones(4)), 0.0);
  EXPECT_EQ(f.value(-Vector::Ones(4)), 0.0);
  EXPECT_GT(f.value(Vector::Zero(4)), 0.0);
  // Not L-smooth: the curvature grows without bound.
  EXPECT_GT(f.value(Vector::Constant(4, 101)) - 2 * f.value(Vector::Constant(4, 100)) +
                f.value(Vector::Constant(4, 99)),
            1e4);
  check_hessian_bound(f, 3.0);
}

TEST(CoshSum, ValueGradientMinimumAndExactConstants) {
  Vector a(3);
  a << 0.01, 0.5, 2.0;
  const CoshSum f(a, Vector::Constant(3, 3.0));
  const Vector x = test_point(3, 4);
  Vector g;
  const double v = f.value_and_gradient(x, g);
  double expected = 0.0;
  for (Index i = 0; i < 3; ++i) expected += a[i] * (std::cosh(x[i]) - 1.0);
  EXPECT_NEAR(v, expected, 1e-12 * expected);
  EXPECT_LT(relative_error(g, finite_difference_gradient(f, x)), 1e-7);
  // f* = 0 exactly, at 0, and the problem says so.
  EXPECT_EQ(f.value(Vector::Zero(3)), 0.0);
  EXPECT_EQ(f.lower_bound(), 0.0);
  EXPECT_TRUE(f.lower_bound_is_minimum());
  EXPECT_EQ(f.initial_point(*std::make_unique<Rng>(0)), Vector::Constant(3, 3.0));
  const auto c = f.analytic_constants();
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->L0, 2.0);
  EXPECT_EQ(c->L1, 1.0);
  EXPECT_FALSE(c->L.has_value());  // not L-smooth
  check_hessian_bound(f, 6.0);
  // Tight: at the minimiser the curvature is max a_i = L0; far out ∂²f/|∂f| → L1 = 1.
  Matrix h(3, 3);
  Vector gp, gm, e = Vector::Zero(3);
  for (Index i = 0; i < 3; ++i) {
    e[i] = 1e-5;
    f.gradient(e, gp);
    f.gradient(-e, gm);
    h.col(i) = (gp - gm) / 2e-5;
    e[i] = 0;
  }
  EXPECT_NEAR(Eigen::JacobiSVD<Matrix>(h).singularValues()[0], 2.0, 1e-6);
  Vector far = Vector::Zero(3), gfar;
  far[0] = 30.0;
  f.gradient(far, gfar);
  EXPECT_NEAR(0.01 * std::cosh(30.0) / gfar.norm(), 1.0, 1e-9);
  EXPECT_THROW(CoshSum(Vector::Zero(2)), Error);
  EXPECT_THROW(CoshSum(Vector::Ones(2), Vector::Ones(3)), Error);
}

// Assumption 2 itself on segments: ‖∇f(x) − ∇f(y)‖ ≤ (L0 + L1 sup_{u∈[x,y]} ‖∇f(u)‖) ‖x − y‖,
// with the supremum replaced by a maximum over a grid (smaller: a stricter test).
TEST(CoshSum, SatisfiesAssumption2OnSegments) {
  const CoshSum f(Vector::Constant(2, 0.01));
  const auto c = *f.analytic_constants();
  Rng rng(9);
  for (int trial = 0; trial < 300; ++trial) {
    Vector x(2), y(2), gx, gy, gu;
    for (Index i = 0; i < 2; ++i) {
      x[i] = 8 * (2 * rng.uniform() - 1);
      y[i] = x[i] + 3 * (2 * rng.uniform() - 1);
    }
    f.gradient(x, gx);
    f.gradient(y, gy);
    double sup = 0.0;
    for (int s = 0; s <= 200; ++s) {
      f.gradient(x + (s / 200.0) * (y - x), gu);
      sup = std::max(sup, gu.norm());
    }
    EXPECT_LE((gx - gy).norm(), (c.L0 + c.L1 * sup) * (x - y).norm() * (1 + 1e-9));
  }
}

}  // namespace
}  // namespace signopt
