#include "signopt/problems/dense_network.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "network_test_support.hpp"
#include "signopt/core/error.hpp"

namespace signopt {
namespace {

using testing::random_dataset;
using testing::random_vector;
using testing::reference_pass;

template <typename Scalar>
BatchLoss run(const DenseNetwork& net, const Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& theta,
              const RowMatrix& x, const std::vector<int>& labels,
              Eigen::Matrix<Scalar, Eigen::Dynamic, 1>* grad) {
  const ColMatrix<Scalar> inputs = x.transpose().cast<Scalar>();
  const Eigen::Map<const ColMatrix<Scalar>> view(inputs.data(), inputs.rows(), inputs.cols());
  NetworkWorkspace<Scalar> workspace;
  if (grad != nullptr) grad->setZero(theta.size());
  return net.evaluate<Scalar>(theta.data(), view, labels, Scalar(1),
                              grad != nullptr ? grad->data() : nullptr, workspace);
}

TEST(DenseNetwork, ParameterLayoutOffsets) {
  const DenseNetwork net({3, 4, 2}, Activation::Relu);
  EXPECT_EQ(net.num_layers(), 2);
  EXPECT_EQ(net.weight_offset(0), 0);
  EXPECT_EQ(net.bias_offset(0), 12);
  EXPECT_EQ(net.weight_offset(1), 16);
  EXPECT_EQ(net.bias_offset(1), 24);
  EXPECT_EQ(net.num_parameters(), 26);
  EXPECT_EQ(net.describe(), "3-4-2 relu");
  EXPECT_EQ(DenseNetwork({784, 256, 10}, Activation::Tanh).num_parameters(),
            784 * 256 + 256 + 256 * 10 + 10);
}

TEST(DenseNetwork, RejectsBadArchitectures) {
  EXPECT_THROW(DenseNetwork({5}, Activation::Relu), Error);
  EXPECT_THROW(DenseNetwork({5, 0, 3}, Activation::Relu), Error);
  EXPECT_THROW(DenseNetwork({5, 1}, Activation::Relu), Error);
  try {
    DenseNetwork({5, 0, 3}, Activation::Relu);
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("layer 1"), std::string::npos) << e.what();
  }
}

TEST(DenseNetwork, NamesRoundTripAndBadNamesListValidOnes) {
  for (auto a : {Activation::Relu, Activation::Tanh}) {
    EXPECT_EQ(activation_from_string(to_string(a)), a);
  }
  for (auto p : {Precision::Float32, Precision::Float64}) {
    EXPECT_EQ(precision_from_string(to_string(p)), p);
  }
  try {
    activation_from_string("sigmoid");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("relu, tanh"), std::string::npos);
  }
  EXPECT_THROW(precision_from_string("half"), Error);
}

class DenseNetworkReference : public ::testing::TestWithParam<Activation> {};

TEST_P(DenseNetworkReference, BatchPassMatchesLoopReference) {
  const DenseNetwork net({6, 5, 4, 3}, GetParam());
  const auto data = random_dataset(17, 6, 3, 11);
  const auto labels = testing::labels_of(*data);
  const Vector theta = random_vector(net.num_parameters(), 0.7, 12);
  Vector grad;
  const BatchLoss got = run<double>(net, theta, data->dense(), labels, &grad);
  const auto want = reference_pass(net, theta, data->dense(), labels);
  EXPECT_NEAR(got.loss_sum, want.loss_sum, 1e-12 * std::abs(want.loss_sum));
  EXPECT_EQ(got.correct, want.correct);
  EXPECT_LT((grad - want.grad).norm(), 1e-12 * want.grad.norm());
  // Value-only pass gives the same loss.
  const BatchLoss value_only = run<double>(net, theta, data->dense(), labels, nullptr);
  EXPECT_DOUBLE_EQ(value_only.loss_sum, got.loss_sum);
}

TEST_P(DenseNetworkReference, Float32AgreesWithFloat64) {
  const DenseNetwork net({6, 8, 3}, GetParam());
  const auto data = random_dataset(40, 6, 3, 21);
  const auto labels = testing::labels_of(*data);
  const Vector theta = random_vector(net.num_parameters(), 0.5, 22);
  Vector grad64;
  Eigen::VectorXf grad32;
  const BatchLoss l64 = run<double>(net, theta, data->dense(), labels, &grad64);
  const Eigen::VectorXf theta32 = theta.cast<float>();
  const BatchLoss l32 = run<float>(net, theta32, data->dense(), labels, &grad32);
  EXPECT_NEAR(l32.loss_sum, l64.loss_sum, 1e-5 * l64.loss_sum);
  EXPECT_LT((grad32.cast<double>() - grad64).norm(), 1e-5 * grad64.norm());
}

INSTANTIATE_TEST_SUITE_P(Activations, DenseNetworkReference,
                         ::testing::Values(Activation::Relu, Activation::Tanh),
                         [](const auto& info) { return to_string(info.param); });

TEST(DenseNetwork, HugeLogitsStayFinite) {
  // d = 1, K = 2, logits z = (1000a, 0): for a = 1 the loss of class 1 is log(1 + e^1000) = 1000
  // up to e^-1000, the loss of class 0 is log(1 + e^-1000) = 0.
  const DenseNetwork net({1, 2}, Activation::Relu);
  Vector theta(4);
  theta << 1000.0, 0.0, 0.0, 0.0;  // W = (1000, 0)ᵀ, b = 0
  RowMatrix x(2, 1);
  x << 1.0, 1.0;
  const std::vector<int> labels{1, 0};
  Vector grad;
  const BatchLoss r = run<double>(net, theta, x, labels, &grad);
  EXPECT_DOUBLE_EQ(r.loss_sum, 1000.0);
  EXPECT_EQ(r.correct, 1);
  // ∂/∂z = p − e_y with p = (1, 0): sample 1 gives (1, −1), sample 0 gives (0, 0).
  EXPECT_DOUBLE_EQ(grad[0], 1.0);
  EXPECT_DOUBLE_EQ(grad[1], -1.0);
  Eigen::VectorXf grad32;
  const BatchLoss r32 = run<float>(net, Eigen::VectorXf(theta.cast<float>()), x, labels, &grad32);
  EXPECT_FLOAT_EQ(static_cast<float>(r32.loss_sum), 1000.0f);
  EXPECT_TRUE(grad32.allFinite());
}

TEST(DenseNetwork, GradientScaleMultipliesAndAccumulates) {
  const DenseNetwork net({4, 3, 2}, Activation::Tanh);
  const auto data = random_dataset(5, 4, 2, 31);
  const auto labels = testing::labels_of(*data);
  const Vector theta = random_vector(net.num_parameters(), 1.0, 32);
  const ColMatrix<double> inputs = data->dense().transpose();
  const Eigen::Map<const ColMatrix<double>> view(inputs.data(), inputs.rows(), inputs.cols());
  NetworkWorkspace<double> workspace;
  Vector grad = Vector::Constant(net.num_parameters(), 2.0);
  net.evaluate<double>(theta.data(), view, labels, 0.25, grad.data(), workspace);
  const auto want = reference_pass(net, theta, data->dense(), labels);
  EXPECT_LT((grad - (Vector::Constant(grad.size(), 2.0) + 0.25 * want.grad)).norm(), 1e-12);
}

TEST(DenseNetwork, RejectsLabelsOutsideTheClasses) {
  const DenseNetwork net({2, 3}, Activation::Relu);
  RowMatrix x = RowMatrix::Ones(2, 2);
  const Vector theta = Vector::Zero(net.num_parameters());
  EXPECT_THROW(run<double>(net, theta, x, {0, 3}, nullptr), Error);
  EXPECT_THROW(run<double>(net, theta, x, {0}, nullptr), Error);
}

TEST(DenseNetwork, HeInitialisationHasVarianceTwoOverFanIn) {
  const DenseNetwork net({784, 256, 10}, Activation::Relu);
  Rng rng(7);
  const Vector theta = net.initial_parameters(rng);
  const auto w0 = theta.segment(net.weight_offset(0), 784 * 256);
  const auto w1 = theta.segment(net.weight_offset(1), 256 * 10);
  // 200704 draws: the sample variance has relative standard error sqrt(2/n) ≈ 0.3%.
  EXPECT_NEAR(w0.mean(), 0.0, 4 * std::sqrt(2.0 / 784 / w0.size()));
  EXPECT_NEAR(w0.squaredNorm() / w0.size(), 2.0 / 784, 0.015 * 2.0 / 784);
  // 2560 draws: relative standard error ≈ 2.8%.
  EXPECT_NEAR(w1.squaredNorm() / w1.size(), 2.0 / 256, 0.12 * 2.0 / 256);
  EXPECT_TRUE(theta.segment(net.bias_offset(0), 256).isZero(0.0));
  EXPECT_TRUE(theta.segment(net.bias_offset(1), 10).isZero(0.0));
}

TEST(DenseNetwork, GlorotInitialisationForTanh) {
  const DenseNetwork net({784, 256, 10}, Activation::Tanh);
  Rng rng(8);
  const Vector theta = net.initial_parameters(rng);
  const auto w0 = theta.segment(net.weight_offset(0), 784 * 256);
  const auto w1 = theta.segment(net.weight_offset(1), 256 * 10);
  EXPECT_NEAR(w0.squaredNorm() / w0.size(), 2.0 / (784 + 256), 0.015 * 2.0 / (784 + 256));
  EXPECT_NEAR(w1.squaredNorm() / w1.size(), 2.0 / (256 + 10), 0.12 * 2.0 / (256 + 10));
}

TEST(DenseNetwork, InitialisationIsDeterministicPerStream) {
  const DenseNetwork net({10, 8, 3}, Activation::Relu);
  Rng a(5), b(5), c(6);
  const Vector ta = net.initial_parameters(a);
  EXPECT_EQ(ta, net.initial_parameters(b));
  EXPECT_NE(ta, net.initial_parameters(c));
}

}  // namespace
}  // namespace signopt
