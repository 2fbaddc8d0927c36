#include "signopt/problems/problem.hpp"

#include "signopt/core/error.hpp"

namespace signopt {

void Problem::value_and_gradient_many(const Matrix& points, Vector& values, Matrix& grads) const {
  const Index m = points.cols();
  values.resize(m);
  grads.resize(points.rows(), m);
  Vector x(points.rows()), g(points.rows());
  for (Index j = 0; j < m; ++j) {
    x = points.col(j);
    values[j] = value_and_gradient(x, g);
    grads.col(j) = g;
  }
}

void Problem::minibatch_gradient(const Vector&, std::span<const Index>, Vector&) const {
  fail("problem '{}' is not a finite sum: minibatch gradients are not defined for it", name());
}

}  // namespace signopt
