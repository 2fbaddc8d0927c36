// Logistic-regression gradients on Mushrooms: one point, and many points sharing one pass; and
// the kernel's exponentials.
//   build/bench/logistic_bench
#include <benchmark/benchmark.h>

#include "signopt/core/exponential.hpp"
#include "signopt/core/rng.hpp"
#include "signopt/data/libsvm_reader.hpp"
#include "signopt/problems/logistic_kernel.hpp"
#include "signopt/problems/logistic_regression.hpp"

namespace {

using namespace signopt;

const std::shared_ptr<const Dataset>& mushrooms_train() {
  static const auto data = std::make_shared<const Dataset>(
      train_test_split(read_libsvm(SIGNOPT_SOURCE_DIR "/data/mushrooms.libsvm"), 0.2, 0).train);
  return data;
}

Matrix random_points(Index d, Index m) {
  Rng rng(1);
  Matrix p(d, m);
  for (Index j = 0; j < m; ++j)
    for (Index i = 0; i < d; ++i) p(i, j) = 0.1 * rng.normal();
  return p;
}

void BM_FullGradient(benchmark::State& state) {
  const LogisticRegression f(mushrooms_train(), 1.0);
  const Vector w = random_points(f.dim(), 1).col(0);
  Vector g;
  for (auto _ : state) {
    benchmark::DoNotOptimize(f.value_and_gradient(w, g));
    benchmark::ClobberMemory();
  }
  const double nnz = static_cast<double>(mushrooms_train()->nnz());
  // Seconds per nonzero (shown with an SI prefix: 20n = 20 ns).
  state.counters["per_nnz"] = benchmark::Counter(
      nnz * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_FullGradient)->Unit(benchmark::kMicrosecond);

// m points in one pass; reported per point.
void BM_FullGradientMany(benchmark::State& state) {
  const LogisticRegression f(mushrooms_train(), 1.0);
  const Matrix points = random_points(f.dim(), state.range(0));
  Vector values;
  Matrix grads;
  for (auto _ : state) {
    f.value_and_gradient_many(points, values, grads);
    benchmark::DoNotOptimize(values.data());
  }
  // Seconds per point (shown with an SI prefix: 30u = 30 µs).
  state.counters["per_point"] = benchmark::Counter(
      static_cast<double>(state.range(0) * state.iterations()),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_FullGradientMany)->Arg(1)->Arg(2)->Arg(8)->Arg(10)->Arg(20)->Arg(32)->Arg(40)->Unit(benchmark::kMicrosecond);

// The kernel alone, without and with the gradient (loss only vs loss and gradient), m points.
void BM_KernelSums(benchmark::State& state) {
  const auto& data = mushrooms_train();
  const LogisticKernelData kernel(data->sparse(), data->labels);
  const RowMatrix points = random_points(data->cols(), state.range(0));
  const bool gradient = state.range(1) != 0;
  for (auto _ : state) {
    auto sums = logistic_sums(kernel, points, {}, gradient);
    benchmark::DoNotOptimize(sums.loss.data());
  }
  state.counters["per_point"] = benchmark::Counter(
      static_cast<double>(state.range(0) * state.iterations()),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_KernelSums)->ArgsProduct({{1, 20, 24, 32, 40}, {0, 1}})->Unit(benchmark::kMicrosecond);

// The same pass spread over a thread team of 2 (wall time per pass; the machine's 2 cores).
void BM_KernelSumsTeam(benchmark::State& state) {
  const auto& data = mushrooms_train();
  const LogisticKernelData kernel(data->sparse(), data->labels);
  const RowMatrix points = random_points(data->cols(), state.range(0));
  ThreadTeam team(2);
  for (auto _ : state) {
    auto sums = logistic_sums(kernel, points, {}, true, &team);
    benchmark::DoNotOptimize(sums.loss.data());
  }
  state.counters["per_point"] = benchmark::Counter(
      static_cast<double>(state.range(0) * state.iterations()),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_KernelSumsTeam)->Arg(1)->Arg(20)->Arg(40)->Unit(benchmark::kMicrosecond)->UseRealTime();

// The kernel's exponentials: one 64-row block of 40 points (2560 values in [−5, 0]), signopt's
// vectorised exponentials against Eigen's array exp.
Eigen::ArrayXd exponent_arguments() {
  Rng rng(2);
  Eigen::ArrayXd x(2560);
  for (Index i = 0; i < x.size(); ++i) x[i] = -5.0 * rng.uniform_open();
  return x;
}

void BM_Exponentials(benchmark::State& state) {
  const Eigen::ArrayXd x = exponent_arguments();
  Eigen::ArrayXd e(x.size());
  for (auto _ : state) {
    exponentials(std::span<const double>(x.data(), static_cast<std::size_t>(x.size())),
                 std::span<double>(e.data(), static_cast<std::size_t>(e.size())));
    benchmark::DoNotOptimize(e.data());
    benchmark::ClobberMemory();
  }
  state.counters["per_value"] = benchmark::Counter(
      static_cast<double>(x.size()) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_Exponentials);

void BM_EigenExp(benchmark::State& state) {
  const Eigen::ArrayXd x = exponent_arguments();
  Eigen::ArrayXd e(x.size());
  for (auto _ : state) {
    e = x.exp();
    benchmark::DoNotOptimize(e.data());
    benchmark::ClobberMemory();
  }
  state.counters["per_value"] = benchmark::Counter(
      static_cast<double>(x.size()) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_EigenExp);

}  // namespace

BENCHMARK_MAIN();
