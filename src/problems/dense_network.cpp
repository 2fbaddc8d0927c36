#include "signopt/problems/dense_network.hpp"

#include <cmath>
#include <numeric>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "signopt/core/error.hpp"

namespace signopt {

std::string to_string(Activation a) {
  switch (a) {
    case Activation::Relu:
      return "relu";
    case Activation::Tanh:
      return "tanh";
  }
  return "unknown";
}

Activation activation_from_string(const std::string& name) {
  if (name == "relu") return Activation::Relu;
  if (name == "tanh") return Activation::Tanh;
  fail("unknown activation '{}': valid activations are relu, tanh", name);
}

std::string to_string(Precision p) {
  switch (p) {
    case Precision::Float32:
      return "float32";
    case Precision::Float64:
      return "float64";
  }
  return "unknown";
}

Precision precision_from_string(const std::string& name) {
  if (name == "float32") return Precision::Float32;
  if (name == "float64") return Precision::Float64;
  fail("unknown precision '{}': valid precisions are float32, float64", name);
}

DenseNetwork::DenseNetwork(std::vector<Index> layer_sizes, Activation activation)
    : sizes_(std::move(layer_sizes)), activation_(activation) {
  require(sizes_.size() >= 2,
          "a network needs at least an input and an output layer, got {} layer sizes",
          sizes_.size());
  for (std::size_t l = 0; l < sizes_.size(); ++l) {
    require(sizes_[l] > 0,
            "layer {} of the network has size {}: every layer needs at least one unit", l,
            sizes_[l]);
  }
  require(sizes_.back() >= 2, "a classifier needs at least 2 classes, got {}", sizes_.back());
  for (std::size_t l = 0; l + 1 < sizes_.size(); ++l) {
    weight_offsets_.push_back(num_parameters_);
    num_parameters_ += sizes_[l + 1] * sizes_[l] + sizes_[l + 1];
  }
}

std::string DenseNetwork::describe() const {
  // fmt rather than string concatenation: GCC 12 emits a false -Wrestrict for the latter.
  std::string s = fmt::format("{}", fmt::join(sizes_, "-"));
  if (num_layers() > 1) s = fmt::format("{} {}", s, to_string(activation_));
  return s;
}

Vector DenseNetwork::initial_parameters(Rng& rng) const {
  Vector theta = Vector::Zero(num_parameters_);
  for (Index l = 0; l < num_layers(); ++l) {
    const auto fan_in = static_cast<double>(sizes_[static_cast<std::size_t>(l)]);
    const auto fan_out = static_cast<double>(sizes_[static_cast<std::size_t>(l) + 1]);
    const double variance =
        activation_ == Activation::Relu ? 2.0 / fan_in : 2.0 / (fan_in + fan_out);
    const double scale = std::sqrt(variance);
    const Index begin = weight_offset(l), end = bias_offset(l);
    for (Index k = begin; k < end; ++k) theta[k] = scale * rng.normal();
  }
  return theta;
}

template <typename Scalar>
BatchLoss DenseNetwork::evaluate(const Scalar* params,
                                 const Eigen::Map<const ColMatrix<Scalar>>& inputs,
                                 std::span<const int> labels, Scalar grad_scale, Scalar* grad,
                                 NetworkWorkspace<Scalar>& workspace) const {
  using Mat = ColMatrix<Scalar>;
  using Col = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  using Row = Eigen::Matrix<Scalar, 1, Eigen::Dynamic>;
  const Index layers = num_layers();
  const Index batch = inputs.cols();
  const Index classes = num_classes();
  require(inputs.rows() == num_inputs(), "network input has {} features, the network expects {}",
          inputs.rows(), num_inputs());
  require(static_cast<Index>(labels.size()) == batch, "{} labels for a batch of {} samples",
          labels.size(), batch);
  auto size = [&](Index l) { return sizes_[static_cast<std::size_t>(l)]; };
  auto weights = [&](Index l) {
    return Eigen::Map<const Mat>(params + weight_offset(l), size(l + 1), size(l));
  };
  auto biases = [&](Index l) {
    return Eigen::Map<const Col>(params + bias_offset(l), size(l + 1));
  };

  // Forward: activations[l] holds h_{l+1} (n_{l+1}×B); the last one holds the logits.
  workspace.activations.resize(static_cast<std::size_t>(layers));
  for (Index l = 0; l < layers; ++l) {
    Mat& out = workspace.activations[static_cast<std::size_t>(l)];
    out.resize(size(l + 1), batch);
    if (l == 0) {
      out.noalias() = weights(l) * inputs;
    } else {
      out.noalias() = weights(l) * workspace.activations[static_cast<std::size_t>(l) - 1];
    }
    out.colwise() += biases(l);
    if (l + 1 < layers) {
      if (activation_ == Activation::Relu) {
        out = out.cwiseMax(Scalar(0));
      } else {
        out = out.array().tanh().matrix();
      }
    }
  }

  // Softmax cross-entropy, column by column: ℓ = log Σ_k exp(z_k − m) − (z_y − m).
  Mat& top = workspace.activations.back();
  Row& maxima = workspace.column_max;
  maxima.noalias() = top.colwise().maxCoeff();
  Col& losses = workspace.column_losses;
  losses.resize(batch);
  BatchLoss result;
  for (Index i = 0; i < batch; ++i) {
    const int y = labels[static_cast<std::size_t>(i)];
    require(y >= 0 && y < classes, "label {} of batch sample {} is not a class id in [0, {})", y, i,
            classes);
    Index best = 0;
    top.col(i).maxCoeff(&best);
    if (best == y) ++result.correct;
    losses[i] = -(top(y, i) - maxima[i]);
  }
  top.rowwise() -= maxima;
  top = top.array().exp().matrix();
  Row& sums = workspace.column_sum;
  sums.noalias() = top.colwise().sum();
  losses.array() += sums.transpose().array().log();
  result.loss_sum = losses.template cast<double>().sum();
  if (grad == nullptr) return result;

  // Backward. Top error: ∂ℓ/∂z = softmax(z) − e_y, scaled by grad_scale.
  top.array().rowwise() *= (grad_scale / sums.array());
  for (Index i = 0; i < batch; ++i) top(labels[static_cast<std::size_t>(i)], i) -= grad_scale;
  const Mat* delta = &top;
  for (Index l = layers - 1; l >= 0; --l) {
    Eigen::Map<Mat> weight_grad(grad + weight_offset(l), size(l + 1), size(l));
    Eigen::Map<Col> bias_grad(grad + bias_offset(l), size(l + 1));
    if (l == 0) {
      weight_grad.noalias() += *delta * inputs.transpose();
    } else {
      weight_grad.noalias() +=
          *delta * workspace.activations[static_cast<std::size_t>(l) - 1].transpose();
    }
    bias_grad.noalias() += delta->rowwise().sum();
    if (l == 0) break;
    // δ_l = (W_lᵀ δ_{l+1}) ⊙ σ'(z_l), with σ' read off h_l = σ(z_l):
    // ReLU' = [h > 0], tanh' = 1 − h².
    const Mat& below = workspace.activations[static_cast<std::size_t>(l) - 1];
    workspace.delta_below.resize(size(l), batch);
    workspace.delta_below.noalias() = weights(l).transpose() * *delta;
    if (activation_ == Activation::Relu) {
      workspace.delta_below =
          (below.array() > Scalar(0)).select(workspace.delta_below, Scalar(0)).matrix();
    } else {
      workspace.delta_below.array() *= (Scalar(1) - below.array().square());
    }
    std::swap(workspace.delta, workspace.delta_below);
    delta = &workspace.delta;
  }
  return result;
}

template BatchLoss DenseNetwork::evaluate<float>(const float*,
                                                 const Eigen::Map<const ColMatrix<float>>&,
                                                 std::span<const int>, float, float*,
                                                 NetworkWorkspace<float>&) const;
template BatchLoss DenseNetwork::evaluate<double>(const double*,
                                                  const Eigen::Map<const ColMatrix<double>>&,
                                                  std::span<const int>, double, double*,
                                                  NetworkWorkspace<double>&) const;

}  // namespace signopt
