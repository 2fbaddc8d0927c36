// Training throughput of the MLP objective: samples per second of one SGD step
// (minibatch_gradient + x ← x − γg) for 784-256-10 at batch 128, the figure issue 7 compares
// with PyTorch (bench/mlp_torch.py). Uses Fashion-MNIST when the Debian package is installed,
// otherwise random pixels of the same shape (the cost does not depend on the values).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>
#include <numeric>
#include <vector>

#include "signopt/core/rng.hpp"
#include "signopt/data/idx_reader.hpp"
#include "signopt/problems/mlp.hpp"
#include "signopt/problems/softmax_regression.hpp"

namespace {

using namespace signopt;

std::shared_ptr<const Dataset> training_set() {
  static const std::shared_ptr<const Dataset> data = [] {
    if (std::filesystem::exists(std::filesystem::path(kFashionMnistDir) /
                                "train-images-idx3-ubyte.gz")) {
      return std::make_shared<const Dataset>(read_fashion_mnist("train"));
    }
    Rng rng(1);
    auto synthetic = std::make_shared<Dataset>();
    synthetic->source = "synthetic 60000x784";
    RowMatrix x(60000, 784);
    for (Index i = 0; i < x.size(); ++i) x.data()[i] = rng.uniform();
    synthetic->features = std::move(x);
    synthetic->labels.resize(60000);
    for (Index i = 0; i < 60000; ++i) synthetic->labels[i] = static_cast<int>(rng.uniform_int(10));
    synthetic->label_kind = LabelKind::MultiClass;
    synthetic->num_classes = 10;
    return std::shared_ptr<const Dataset>(synthetic);
  }();
  return data;
}

// A shuffled epoch order, walked in batches (like a DataLoader with shuffle=True).
class BatchStream {
 public:
  BatchStream(Index n, Index batch) : order_(static_cast<std::size_t>(n)), batch_(batch) {
    std::iota(order_.begin(), order_.end(), Index{0});
    Rng rng(2);
    for (std::size_t i = order_.size() - 1; i > 0; --i) {
      std::swap(order_[i], order_[rng.uniform_int(i + 1)]);
    }
  }
  std::span<const Index> next() {
    if (position_ + batch_ > static_cast<Index>(order_.size())) position_ = 0;
    std::span<const Index> s(order_.data() + position_, static_cast<std::size_t>(batch_));
    position_ += batch_;
    return s;
  }

 private:
  std::vector<Index> order_;
  Index batch_;
  Index position_ = 0;
};

void run_sgd(benchmark::State& state, const NetworkClassifierProblem& problem, Index batch) {
  Rng rng(3);
  Vector x = problem.initial_point(rng);
  Vector g(problem.dim());
  BatchStream stream(problem.num_samples(), batch);
  const double step = 0.01;
  for (auto _ : state) {
    problem.minibatch_gradient(x, stream.next(), g);
    x -= step * g;
    benchmark::DoNotOptimize(x.data());
  }
  state.SetItemsProcessed(state.iterations() * batch);
  state.SetLabel(problem.network().describe() + " " + to_string(problem.precision()));
}

// Args: {batch, precision (0 = float32, 1 = float64), activation (0 = relu, 1 = tanh)}.
void BM_MlpSgdStep(benchmark::State& state) {
  MlpOptions options;
  options.precision = state.range(1) == 0 ? Precision::Float32 : Precision::Float64;
  options.activation = state.range(2) == 0 ? Activation::Relu : Activation::Tanh;
  const Mlp problem(training_set(), nullptr, options);
  run_sgd(state, problem, state.range(0));
}
BENCHMARK(BM_MlpSgdStep)
    ->Args({128, 0, 0})
    ->Args({128, 1, 0})
    ->Args({128, 0, 1})
    ->Args({32, 0, 0})
    ->Args({512, 0, 0})
    ->Unit(benchmark::kMicrosecond);

void BM_SoftmaxRegressionSgdStep(benchmark::State& state) {
  SoftmaxRegressionOptions options;
  options.precision = state.range(0) == 0 ? Precision::Float32 : Precision::Float64;
  const SoftmaxRegression problem(training_set(), nullptr, options);
  run_sgd(state, problem, 128);
}
BENCHMARK(BM_SoftmaxRegressionSgdStep)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

// Full gradient over the 60000 training samples (the runner's exact-gradient pass).
void BM_MlpFullGradient(benchmark::State& state) {
  MlpOptions options;
  options.precision = state.range(0) == 0 ? Precision::Float32 : Precision::Float64;
  const Mlp problem(training_set(), nullptr, options);
  Rng rng(4);
  const Vector x = problem.initial_point(rng);
  Vector g(problem.dim());
  for (auto _ : state) benchmark::DoNotOptimize(problem.value_and_gradient(x, g));
  state.SetItemsProcessed(state.iterations() * problem.num_samples());
}
BENCHMARK(BM_MlpFullGradient)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
