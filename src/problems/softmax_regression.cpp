#include "signopt/problems/softmax_regression.hpp"

#include "signopt/core/error.hpp"

namespace signopt {
namespace {

DenseNetwork softmax_network(const std::shared_ptr<const Dataset>& train) {
  require(train != nullptr, "softmax regression needs a training set");
  return DenseNetwork({train->cols(), train->num_classes}, Activation::Relu);
}

}  // namespace

SoftmaxRegression::SoftmaxRegression(std::shared_ptr<const Dataset> train,
                                     std::shared_ptr<const Dataset> test,
                                     SoftmaxRegressionOptions options)
    : NetworkClassifierProblem(softmax_network(train), train, std::move(test), options.l2,
                               options.precision) {
  // Parameters are W (K×d) then b (K): the last K are the intercepts.
  if (options.intercept) leave_unregularized(num_classes());
}

std::optional<SmoothnessConstants> SoftmaxRegression::analytic_constants() const {
  const double L = 0.5 * (max_squared_row_norm() + 1.0) + l2();
  return SmoothnessConstants{
      L, 0.0, L,
      "softmax cross-entropy: Hessian in the logits is diag(p) - pp^T <= I/2 (Gershgorin), so "
      "L = (max_i ||(a_i, 1)||^2)/2 + lambda"};
}

std::optional<double> SoftmaxRegression::strong_convexity() const {
  if (l2() > 0 && unregularized_tail() == 0) return l2();
  return std::nullopt;
}

}  // namespace signopt
