#pragma once
// Shared by the network problem tests: small random data sets, a loop-based reference
// forward/backward written independently of the library's matrix code, and finite differences.
#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <vector>

#include "signopt/core/rng.hpp"
#include "signopt/core/types.hpp"
#include "signopt/data/dataset.hpp"
#include "signopt/problems/dense_network.hpp"

namespace signopt::testing {

// n samples with d Gaussian features and uniformly random class ids in [0, classes).
inline std::shared_ptr<Dataset> random_dataset(Index n, Index d, int classes, std::uint64_t seed) {
  Rng rng(seed);
  auto data = std::make_shared<Dataset>();
  data->source = "random";
  RowMatrix x(n, d);
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < d; ++j) x(i, j) = rng.normal();
  }
  data->features = std::move(x);
  data->labels.resize(n);
  for (Index i = 0; i < n; ++i) {
    data->labels[i] = static_cast<int>(rng.uniform_int(static_cast<std::uint64_t>(classes)));
  }
  data->label_kind = LabelKind::MultiClass;
  data->num_classes = classes;
  for (int k = 0; k < classes; ++k) data->class_values.push_back(k);
  return data;
}

inline Vector random_vector(Index n, double scale, std::uint64_t seed) {
  Rng rng(seed);
  Vector v(n);
  for (Index i = 0; i < n; ++i) v[i] = scale * rng.normal();
  return v;
}

struct ReferenceResult {
  double loss_sum = 0.0;
  Index correct = 0;
  Vector grad;  // ∇ Σ_i ℓ_i, unscaled
};

// Sample-by-sample forward and backward pass with scalar loops, reading the parameters through
// the documented layout: W_l(r, c) = θ[weight_offset(l) + c·n_{l+1} + r], then b_l.
inline ReferenceResult reference_pass(const DenseNetwork& net, const Vector& theta,
                                      const RowMatrix& x, const std::vector<int>& labels) {
  const auto& n = net.layer_sizes();
  const std::size_t layers = n.size() - 1;
  auto w = [&](std::size_t l, Index r, Index c) {
    return net.weight_offset(static_cast<Index>(l)) + c * n[l + 1] + r;
  };
  auto b = [&](std::size_t l, Index r) { return net.bias_offset(static_cast<Index>(l)) + r; };
  auto act = [&](double z) {
    return net.activation() == Activation::Relu ? (z > 0 ? z : 0.0) : std::tanh(z);
  };
  auto act_prime_from_output = [&](double h) {
    return net.activation() == Activation::Relu ? (h > 0 ? 1.0 : 0.0) : 1.0 - h * h;
  };
  ReferenceResult out;
  out.grad = Vector::Zero(theta.size());
  for (Index i = 0; i < x.rows(); ++i) {
    std::vector<std::vector<double>> h(layers + 1);
    h[0].assign(x.row(i).data(), x.row(i).data() + x.cols());
    for (std::size_t l = 0; l < layers; ++l) {
      h[l + 1].assign(static_cast<std::size_t>(n[l + 1]), 0.0);
      for (Index r = 0; r < n[l + 1]; ++r) {
        double z = theta[b(l, r)];
        for (Index c = 0; c < n[l]; ++c) z += theta[w(l, r, c)] * h[l][static_cast<std::size_t>(c)];
        h[l + 1][static_cast<std::size_t>(r)] = l + 1 < layers ? act(z) : z;
      }
    }
    const std::vector<double>& z = h[layers];
    const int y = labels[static_cast<std::size_t>(i)];
    const double m = *std::max_element(z.begin(), z.end());
    double s = 0.0;
    for (double zk : z) s += std::exp(zk - m);
    out.loss_sum += m + std::log(s) - z[static_cast<std::size_t>(y)];
    if (std::max_element(z.begin(), z.end()) - z.begin() == y) ++out.correct;
    std::vector<double> delta(z.size());
    for (std::size_t k = 0; k < z.size(); ++k) {
      delta[k] = std::exp(z[k] - m) / s - (static_cast<int>(k) == y ? 1.0 : 0.0);
    }
    for (std::size_t l = layers; l-- > 0;) {
      std::vector<double> below(static_cast<std::size_t>(n[l]), 0.0);
      for (Index r = 0; r < n[l + 1]; ++r) {
        const double dr = delta[static_cast<std::size_t>(r)];
        out.grad[b(l, r)] += dr;
        for (Index c = 0; c < n[l]; ++c) {
          out.grad[w(l, r, c)] += dr * h[l][static_cast<std::size_t>(c)];
          below[static_cast<std::size_t>(c)] += theta[w(l, r, c)] * dr;
        }
      }
      if (l > 0) {
        for (Index c = 0; c < n[l]; ++c) {
          below[static_cast<std::size_t>(c)] *=
              act_prime_from_output(h[l][static_cast<std::size_t>(c)]);
        }
      }
      delta = std::move(below);
    }
  }
  return out;
}

// Central differences (f(x + h e_i) − f(x − h e_i)) / 2h for every coordinate.
inline Vector finite_difference_gradient(const std::function<double(const Vector&)>& f,
                                         const Vector& x, double h) {
  Vector g(x.size());
  Vector y = x;
  for (Index i = 0; i < x.size(); ++i) {
    y[i] = x[i] + h;
    const double up = f(y);
    y[i] = x[i] - h;
    const double down = f(y);
    y[i] = x[i];
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

inline std::vector<int> labels_of(const Dataset& data) {
  return {data.labels.data(), data.labels.data() + data.labels.size()};
}

}  // namespace signopt::testing
