#pragma once
// A multilayer perceptron classifier (DenseNetwork) with softmax cross-entropy and optional L2:
//   f(θ) = (1/n) Σ_i ℓ(z_θ(a_i), y_i) + (λ/2)‖θ‖².
// Non-convex; no global smoothness constants (ReLU networks are not even differentiable
// everywhere: the gradient uses ReLU'(0) = 0). The starting point is drawn from the run's Rng
// with He (ReLU) or Glorot (tanh) scaling, see DenseNetwork::initial_parameters.
#include <memory>
#include <vector>

#include "signopt/problems/network_classifier_problem.hpp"

namespace signopt {

struct MlpOptions {
  std::vector<Index> hidden{256};            // hidden layer widths, input to output
  Activation activation = Activation::Relu;  // of every hidden layer
  double l2 = 0.0;                           // λ ≥ 0, on weights and biases
  Precision precision = Precision::Float32;  // compute precision of passes over the data
};

class Mlp : public NetworkClassifierProblem {
 public:
  // Layers: train->cols() inputs, options.hidden, train->num_classes outputs.
  explicit Mlp(std::shared_ptr<const Dataset> train, std::shared_ptr<const Dataset> test = nullptr,
               MlpOptions options = {});

  std::string name() const override { return "mlp"; }
  Vector initial_point(Rng& rng) const override { return network().initial_parameters(rng); }
};

}  // namespace signopt
