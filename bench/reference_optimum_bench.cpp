// The reference solve of f* (problems/reference_optimum.hpp) on the Mushrooms training split
// (80/20, split seed 0), from x = 0: Newton (exact Hessian) and L-BFGS, λ = 1 and λ = 1e-3.
//   build/bench/reference_optimum_bench
#include <benchmark/benchmark.h>

#include <cmath>

#include "signopt/data/libsvm_reader.hpp"
#include "signopt/problems/logistic_regression.hpp"
#include "signopt/problems/reference_optimum.hpp"

namespace {

using namespace signopt;

const std::shared_ptr<const Dataset>& mushrooms_train() {
  static const auto data = std::make_shared<const Dataset>(
      train_test_split(read_libsvm(SIGNOPT_SOURCE_DIR "/data/mushrooms.libsvm"), 0.2, 0).train);
  return data;
}

// Args: λ = 10^-range(0), method (0 Newton, 1 L-BFGS).
void BM_ReferenceOptimumMushrooms(benchmark::State& state) {
  const double lambda = std::pow(10.0, -static_cast<double>(state.range(0)));
  const LogisticRegression f(mushrooms_train(), lambda);
  ReferenceSolveOptions options;
  options.method = state.range(1) == 0 ? ReferenceMethod::newton : ReferenceMethod::lbfgs;
  Index iterations = 0;
  for (auto _ : state) {
    const auto r = solve_reference_optimum(f, Vector::Zero(f.dim()), options);
    iterations = r.iterations;
    benchmark::DoNotOptimize(r.value);
  }
  state.counters["iterations"] = static_cast<double>(iterations);
}
BENCHMARK(BM_ReferenceOptimumMushrooms)
    ->ArgsProduct({{0, 3}, {0, 1}})
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
