#include "signopt/problems/problem.hpp"

#include "signopt/core/error.hpp"

namespace signopt {

void Problem::value_and_gradient_many(const Matrix& points, Vector& values, Matrix& grads,
                                      ThreadTeam* /*team*/) const {
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

void Problem::evaluate_training_pass(const Matrix& points, Vector& values, Matrix& grads,
                                     TrainingMetrics& train, ThreadTeam* team) const {
  value_and_gradient_many(points, values, grads, team);
  train.data_loss.resize(points.cols());
  train.accuracy.resize(0);
  Vector x(points.rows());
  for (Index j = 0; j < points.cols(); ++j) {
    x = points.col(j);
    train.data_loss[j] = values[j] - regularizer(x);
  }
}

std::vector<std::vector<Metric>> Problem::test_metrics_many(const Matrix& points,
                                                            ThreadTeam* /*team*/) const {
  std::vector<std::vector<Metric>> out;
  out.reserve(static_cast<std::size_t>(points.cols()));
  Vector x(points.rows());
  for (Index j = 0; j < points.cols(); ++j) {
    x = points.col(j);
    out.push_back(test_metrics(x));
  }
  return out;
}

double Problem::minibatch_gradient(const Vector&, std::span<const Index>, Vector&) const {
  fail("problem '{}' is not a finite sum: minibatch gradients are not defined for it", name());
}

}  // namespace signopt
