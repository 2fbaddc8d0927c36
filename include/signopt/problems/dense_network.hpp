#pragma once
// A fully connected classification network: the architecture, its flat parameter layout, its
// initialisation and the batched forward/backward pass with a softmax cross-entropy output.
//
// Layer sizes n_0 (inputs), n_1, ..., n_{L-1} (hidden), n_L (classes). Layer l = 0..L-1 maps
//   z_{l+1} = W_l h_l + b_l,   h_{l+1} = σ(z_{l+1}) for hidden layers, logits z_L at the top,
// with W_l an n_{l+1}×n_l matrix and b_l ∈ R^{n_{l+1}}. With no hidden layer (L = 1) this is
// multi-class softmax regression.
//
// Flat parameter layout, layer after layer: W_0 (column-major, n_1·n_0 entries), b_0, W_1, b_1,
// ..., W_{L-1}, b_{L-1}. So entry (r, c) of W_l sits at weight_offset(l) + c·n_{l+1} + r.
//
// The loss of one sample (a, y) is the cross-entropy of the softmax of the logits,
//   ℓ(z, y) = log Σ_k exp(z_k) − z_y,
// evaluated as m + log Σ_k exp(z_k − m) with m = max_k z_k so it never overflows.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "signopt/core/rng.hpp"
#include "signopt/core/types.hpp"

namespace signopt {

enum class Activation { Relu, Tanh };
std::string to_string(Activation a);
Activation activation_from_string(const std::string& name);  // "relu" | "tanh"; Error otherwise

// Arithmetic used inside forward/backward passes. Parameters and gradients crossing the
// Problem interface stay double; Float32 converts them once per call (and keeps a float copy
// of the data), which is about twice as fast on AVX-512 and what PyTorch uses by default.
enum class Precision { Float32, Float64 };
std::string to_string(Precision p);
Precision precision_from_string(const std::string& name);  // "float32" | "float64"

template <typename Scalar>
using ColMatrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

// Scratch buffers of one forward/backward pass, reused between calls to avoid allocation.
template <typename Scalar>
struct NetworkWorkspace {
  std::vector<ColMatrix<Scalar>> activations;  // h_1 .. h_{L-1}, then the logits / top delta
  ColMatrix<Scalar> delta;                     // back-propagated error of the current layer
  ColMatrix<Scalar> delta_below;               // error of the layer below
  Eigen::Matrix<Scalar, Eigen::Dynamic, 1> column_losses;
  Eigen::Matrix<Scalar, 1, Eigen::Dynamic> column_max;  // largest logit of each sample
  Eigen::Matrix<Scalar, 1, Eigen::Dynamic> column_sum;  // Σ_k exp(z_k − max) of each sample
};

// Loss and hits of one batch: Σ_i ℓ(z(a_i), y_i) and #{i : argmax_k z_k(a_i) = y_i}.
struct BatchLoss {
  double loss_sum = 0.0;
  Index correct = 0;
};

class DenseNetwork {
 public:
  // layer_sizes = {n_0, ..., n_L}: at least two entries, all positive.
  DenseNetwork(std::vector<Index> layer_sizes, Activation activation);

  const std::vector<Index>& layer_sizes() const { return sizes_; }
  Index num_layers() const { return static_cast<Index>(sizes_.size()) - 1; }  // L
  Index num_inputs() const { return sizes_.front(); }
  Index num_classes() const { return sizes_.back(); }
  Index num_parameters() const { return num_parameters_; }
  Activation activation() const { return activation_; }
  Index weight_offset(Index layer) const {
    return weight_offsets_[static_cast<std::size_t>(layer)];
  }
  Index bias_offset(Index layer) const {
    return weight_offset(layer) +
           sizes_[static_cast<std::size_t>(layer) + 1] * sizes_[static_cast<std::size_t>(layer)];
  }
  // "784-256-10 relu"
  std::string describe() const;

  // Random weights, zero biases. Every weight matrix draws i.i.d. N(0, s²), layer by layer in
  // the flat (column-major) order, with s² = 2/n_in for ReLU (He et al. 2015) and
  // s² = 2/(n_in + n_out) for tanh (Glorot & Bengio 2010).
  Vector initial_parameters(Rng& rng) const;

  // Forward pass over a batch given as an n_0×B column-major matrix (one sample per column;
  // a row-major B×n_0 feature block has exactly this memory layout) with class ids labels[i].
  // When grad is non-null, adds grad_scale · ∇_θ Σ_i ℓ(z(a_i), y_i) to grad (num_parameters()
  // entries, same layout as params). Returns the loss sum and the number of correct argmaxes.
  // Uses only `workspace` as scratch, so concurrent calls with distinct workspaces are safe.
  template <typename Scalar>
  BatchLoss evaluate(const Scalar* params, const Eigen::Map<const ColMatrix<Scalar>>& inputs,
                     std::span<const int> labels, Scalar grad_scale, Scalar* grad,
                     NetworkWorkspace<Scalar>& workspace) const;

 private:
  std::vector<Index> sizes_;
  Activation activation_;
  std::vector<Index> weight_offsets_;
  Index num_parameters_ = 0;
};

}  // namespace signopt
