#include "signopt/problems/mlp.hpp"
#include "signopt/problems/softmax_regression.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <numeric>
#include <thread>

#include "network_test_support.hpp"
#include "signopt/core/error.hpp"
#include "signopt/data/idx_reader.hpp"

namespace signopt {
namespace {

using testing::finite_difference_gradient;
using testing::random_dataset;
using testing::random_vector;

std::vector<Index> all_indices(Index n) {
  std::vector<Index> idx(static_cast<std::size_t>(n));
  std::iota(idx.begin(), idx.end(), Index{0});
  return idx;
}

class MlpActivation : public ::testing::TestWithParam<Activation> {};

TEST_P(MlpActivation, GradientMatchesFiniteDifferencesInDoublePrecision) {
  const auto data = random_dataset(12, 4, 3, 1);
  const Mlp problem(
      data, nullptr,
      {.hidden = {5, 3}, .activation = GetParam(), .l2 = 0.01, .precision = Precision::Float64});
  EXPECT_EQ(problem.dim(), (5 * 4 + 5) + (3 * 5 + 3) + (3 * 3 + 3));
  // A random point with non-zero biases: at He initialisation (zero biases) a sample whose
  // first-layer units are all inactive puts the next layer exactly on the ReLU kink, where
  // central differences and the one-sided ReLU'(0) = 0 legitimately disagree.
  const Vector x = random_vector(problem.dim(), 0.7, 2);
  Vector grad;
  const double f = problem.value_and_gradient(x, grad);
  EXPECT_DOUBLE_EQ(f, problem.value(x));
  Vector grad_only;
  problem.gradient(x, grad_only);
  EXPECT_EQ(grad_only, grad);
  const Vector fd =
      finite_difference_gradient([&](const Vector& y) { return problem.value(y); }, x, 1e-6);
  EXPECT_LT((grad - fd).norm(), 1e-7 * grad.norm()) << grad.transpose() << "\n" << fd.transpose();
}

TEST_P(MlpActivation, FullPassMatchesLoopReference) {
  const auto data = random_dataset(50, 7, 4, 3);
  const Mlp problem(data, nullptr,
                    {.hidden = {6}, .activation = GetParam(), .precision = Precision::Float64});
  const Vector x = random_vector(problem.dim(), 0.6, 4);
  const auto want =
      testing::reference_pass(problem.network(), x, data->dense(), testing::labels_of(*data));
  Vector grad;
  EXPECT_NEAR(problem.value_and_gradient(x, grad), want.loss_sum / 50, 1e-13);
  EXPECT_LT((grad - want.grad / 50).norm(), 1e-13 * want.grad.norm());
  EXPECT_DOUBLE_EQ(problem.train_accuracy(x), static_cast<double>(want.correct) / 50);
}

TEST_P(MlpActivation, Float32StaysCloseToFloat64) {
  const auto data = random_dataset(300, 10, 3, 5);
  const MlpOptions base{.hidden = {16, 8}, .activation = GetParam()};
  MlpOptions o32 = base, o64 = base;
  o32.precision = Precision::Float32;
  o64.precision = Precision::Float64;
  const Mlp p32(data, nullptr, o32), p64(data, nullptr, o64);
  Rng rng(6);
  const Vector x = p64.initial_point(rng);
  Vector g32, g64;
  EXPECT_NEAR(p32.value_and_gradient(x, g32), p64.value_and_gradient(x, g64), 1e-6);
  EXPECT_LT((g32 - g64).norm(), 1e-5 * g64.norm());
}

INSTANTIATE_TEST_SUITE_P(Activations, MlpActivation,
                         ::testing::Values(Activation::Relu, Activation::Tanh),
                         [](const auto& info) { return to_string(info.param); });

TEST(Mlp, MinibatchOverAllIndicesEqualsFullGradientAcrossChunks) {
  // n > kChunkRows: both the full pass and the gathered minibatch run in several chunks.
  const Index n = 2 * NetworkClassifierProblem::kChunkRows + 300;
  const auto data = random_dataset(n, 5, 3, 7);
  for (const auto precision : {Precision::Float64, Precision::Float32}) {
    const Mlp problem(data, nullptr, {.hidden = {8}, .l2 = 0.02, .precision = precision});
    Rng rng(8);
    const Vector x = problem.initial_point(rng);
    Vector full, mini;
    problem.gradient(x, full);
    const auto idx = all_indices(n);
    problem.minibatch_gradient(x, idx, mini);
    const double tol = precision == Precision::Float64 ? 1e-14 : 1e-6;
    EXPECT_LT((full - mini).norm(), tol * full.norm()) << to_string(precision);
  }
}

TEST(Mlp, MinibatchEqualsFullGradientOfTheSelectedRows) {
  const auto data = random_dataset(40, 5, 3, 9);
  const std::vector<Index> rows{3, 17, 17, 0, 39, 22};  // repeats count twice
  auto subset = std::make_shared<Dataset>(data->select_rows(rows));
  const MlpOptions options{
      .hidden = {4}, .activation = Activation::Tanh, .l2 = 0.1, .precision = Precision::Float64};
  const Mlp problem(data, nullptr, options), sub_problem(subset, nullptr, options);
  Rng rng(10);
  const Vector x = problem.initial_point(rng);
  Vector mini, full_of_subset;
  const double mini_loss = problem.minibatch_gradient(x, rows, mini);
  sub_problem.gradient(x, full_of_subset);
  EXPECT_LT((mini - full_of_subset).norm(), 1e-14 * mini.norm());
  // The minibatch's data loss is the subset problem's f without its L2 term.
  EXPECT_NEAR(mini_loss, sub_problem.value(x) - sub_problem.regularizer(x), 1e-13);
}

TEST(Mlp, ValueAndGradientManyMatchesSingleCalls) {
  const auto data = random_dataset(1500, 6, 4, 11);
  for (const auto precision : {Precision::Float64, Precision::Float32}) {
    const Mlp problem(data, nullptr, {.hidden = {7}, .l2 = 0.03, .precision = precision});
    Matrix points(problem.dim(), 3);
    for (Index j = 0; j < 3; ++j) {
      Rng rng(20 + static_cast<std::uint64_t>(j));
      points.col(j) = problem.initial_point(rng);
    }
    Vector values;
    Matrix grads;
    problem.value_and_gradient_many(points, values, grads);
    ASSERT_EQ(values.size(), 3);
    // Bit for bit: the runner's results must not depend on how runs are grouped.
    for (Index j = 0; j < 3; ++j) {
      Vector g;
      const Vector x = points.col(j);
      const double f = problem.value_and_gradient(x, g);
      EXPECT_EQ(values[j], f);
      EXPECT_EQ(grads.col(j), g);
    }
  }
}

TEST(Mlp, InitialPointComesFromTheRunStream) {
  const auto data = random_dataset(10, 20, 3, 12);
  const Mlp problem(data, nullptr, {.hidden = {30}});
  Rng a(1), b(1), c(2);
  const Vector xa = problem.initial_point(a);
  EXPECT_EQ(xa, problem.initial_point(b));
  EXPECT_NE(xa, problem.initial_point(c));
  EXPECT_EQ(xa, problem.network().initial_parameters(c = Rng(1)));
  EXPECT_EQ(problem.name(), "mlp");
  EXPECT_EQ(problem.lower_bound(), 0.0);
  EXPECT_FALSE(problem.analytic_constants().has_value());
  EXPECT_EQ(problem.network().describe(), "20-30-3 relu");
}

TEST(Mlp, ConcurrentCallsOnOneInstanceMatchSerialResults) {
  const auto data = random_dataset(600, 12, 5, 13);
  const Mlp problem(data, nullptr, {.hidden = {32}});
  std::vector<Vector> points, serial(4), parallel(4);
  std::vector<std::vector<Index>> batches;
  for (int t = 0; t < 4; ++t) {
    Rng rng(30 + static_cast<std::uint64_t>(t));
    points.push_back(problem.initial_point(rng));
    std::vector<Index> batch;
    for (int k = 0; k < 64 + 100 * t; ++k)
      batch.push_back(static_cast<Index>(rng.uniform_int(600)));
    batches.push_back(std::move(batch));
    problem.minibatch_gradient(points.back(), batches.back(), serial[static_cast<std::size_t>(t)]);
  }
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int repeat = 0; repeat < 20; ++repeat) {
        problem.minibatch_gradient(points[t], batches[t], parallel[t]);
        if (parallel[t] != serial[t]) return;
      }
    });
  }
  for (auto& th : threads) th.join();
  for (std::size_t t = 0; t < 4; ++t) EXPECT_EQ(parallel[t], serial[t]) << "thread " << t;
}

TEST(Mlp, SgdLearnsASeparableProblem) {
  // Class = quadrant of the first two features: not linearly separable with one class per
  // quadrant pair (XOR-like), so the hidden layer is needed.
  Rng rng(40);
  auto data = std::make_shared<Dataset>();
  RowMatrix a(400, 2);
  data->labels.resize(400);
  for (Index i = 0; i < 400; ++i) {
    a(i, 0) = 2 * rng.uniform() - 1;
    a(i, 1) = 2 * rng.uniform() - 1;
    data->labels[i] = (a(i, 0) > 0) == (a(i, 1) > 0) ? 1 : 0;
  }
  data->features = a;
  data->label_kind = LabelKind::MultiClass;
  data->num_classes = 2;
  const SoftmaxRegression linear(data);
  const Mlp problem(data, nullptr, {.hidden = {32}, .precision = Precision::Float64});
  Vector x = problem.initial_point(rng);
  Vector g;
  const double f0 = problem.value(x);
  std::vector<Index> batch(32);
  for (int step = 0; step < 2000; ++step) {
    for (auto& i : batch) i = static_cast<Index>(rng.uniform_int(400));
    problem.minibatch_gradient(x, batch, g);
    x -= 0.5 * g;
  }
  EXPECT_LT(problem.value(x), 0.5 * f0);
  EXPECT_GT(problem.train_accuracy(x), 0.93);
  // The best linear model cannot do better than about 3/4 on XOR quadrants.
  Vector w = Vector::Zero(linear.dim());
  for (int step = 0; step < 500; ++step) {
    linear.gradient(w, g);
    w -= 1.0 * g;
  }
  EXPECT_LT(linear.train_accuracy(w), 0.8);
}

TEST(Mlp, RejectsBadOptions) {
  const auto data = random_dataset(10, 3, 3, 14);
  EXPECT_THROW(Mlp(data, nullptr, {.hidden = {4, 0}}), Error);
  EXPECT_THROW(Mlp(data, nullptr, {.l2 = std::nan("")}), Error);
  const Mlp problem(data);
  Matrix wrong(5, 2);
  Vector values;
  Matrix grads;
  EXPECT_THROW(problem.value_and_gradient_many(wrong, values, grads), Error);
}

bool fashion_mnist_installed() {
  return std::filesystem::exists(std::filesystem::path(kFashionMnistDir) /
                                 "train-images-idx3-ubyte.gz");
}

TEST(FashionMnist, RealFilesHaveTheDocumentedShape) {
  if (!fashion_mnist_installed()) {
    GTEST_SKIP() << "dataset-fashion-mnist is not installed (" << kFashionMnistDir << ")";
  }
  // The test part goes through read_fashion_mnist completely.
  const Dataset test = read_fashion_mnist("test");
  ASSERT_EQ(test.rows(), 10000);
  ASSERT_EQ(test.cols(), 784);
  EXPECT_EQ(test.num_classes, 10);
  EXPECT_EQ(test.label_kind, LabelKind::MultiClass);
  EXPECT_EQ(test.dense().minCoeff(), 0.0);
  EXPECT_EQ(test.dense().maxCoeff(), 1.0);
  for (int k = 0; k < 10; ++k) {  // Fashion-MNIST is balanced: a tenth of each part per class
    EXPECT_EQ((test.labels.array() == k).count(), 1000) << "class " << k;
  }
  // The training part: labels in full, images by their IDX header. Converting all 60000
  // images to doubles (376 MB) would make this the slowest test of the suite, and the
  // conversion is the one the test part just checked.
  const std::filesystem::path dir = kFashionMnistDir;
  const Eigen::VectorXi train_labels = read_idx_labels(dir / "train-labels-idx1-ubyte.gz");
  ASSERT_EQ(train_labels.size(), 60000);
  for (int k = 0; k < 10; ++k) EXPECT_EQ((train_labels.array() == k).count(), 6000);
  const auto bytes = read_maybe_gzip(dir / "train-images-idx3-ubyte.gz");
  ASSERT_EQ(bytes.size(), 16u + 60000u * 784u);
  auto header_word = [&](std::size_t k) {
    return (bytes[4 * k] << 24) | (bytes[4 * k + 1] << 16) | (bytes[4 * k + 2] << 8) |
           bytes[4 * k + 3];
  };
  EXPECT_EQ(header_word(0), 0x803);
  EXPECT_EQ(header_word(1), 60000);
  EXPECT_EQ(header_word(2), 28);
  EXPECT_EQ(header_word(3), 28);
}

TEST(FashionMnist, MlpLearnsFromTheRealImages) {
  if (!fashion_mnist_installed()) {
    GTEST_SKIP() << "dataset-fashion-mnist is not installed (" << kFashionMnistDir << ")";
  }
  // The 10000-image test part keeps the test fast: its first 8000 images train, the rest test.
  const Dataset all = read_fashion_mnist("test");
  std::vector<Index> first(8000), rest(2000);
  std::iota(first.begin(), first.end(), Index{0});
  std::iota(rest.begin(), rest.end(), Index{8000});
  const auto train = std::make_shared<const Dataset>(all.select_rows(first));
  const auto test = std::make_shared<const Dataset>(all.select_rows(rest));
  const Mlp problem(train, test, {.hidden = {16}});
  EXPECT_EQ(problem.dim(), 784 * 16 + 16 + 16 * 10 + 10);
  Rng rng(50);
  Vector x = problem.initial_point(rng);
  const auto before = problem.test_metrics(x);
  ASSERT_EQ(before.size(), 2u);
  EXPECT_GT(before[0].value, 1.5);   // near log 10 ≈ 2.3 at a random start
  EXPECT_LT(before[1].value, 0.35);  // near chance, 0.1
  Vector g;
  std::vector<Index> batch(128);
  for (int step = 0; step < 100; ++step) {
    for (auto& i : batch) i = static_cast<Index>(rng.uniform_int(8000));
    problem.minibatch_gradient(x, batch, g);
    x -= 0.1 * g;
  }
  const auto after = problem.test_metrics(x);
  EXPECT_LT(after[0].value, 1.0);
  EXPECT_GT(after[1].value, 0.65);
}

}  // namespace
}  // namespace signopt
