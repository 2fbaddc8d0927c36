// The (L0, L1) envelope fit and the per-coordinate noise analysis on estimate-sized inputs.
//   build/bench/envelope_fit_bench
#include <benchmark/benchmark.h>

#include <numeric>
#include <vector>

#include "signopt/core/rng.hpp"
#include "signopt/estimate/envelope_fit.hpp"
#include "signopt/estimate/gradient_noise.hpp"

namespace {

using namespace signopt;

// n pairs under the line 2 + 3g (as trajectories give: many seeds × steps × alphas).
void BM_EnvelopeFit(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const double q = static_cast<double>(state.range(1)) / 1000.0;
  Rng rng(1);
  std::vector<double> g(n), L(n);
  for (std::size_t i = 0; i < n; ++i) {
    g[i] = 10.0 * rng.uniform();
    L[i] = (2.0 + 3.0 * g[i]) * rng.uniform() * (rng.uniform() < 0.001 ? 3.0 : 1.0);
  }
  estimate::EnvelopeOptions options;
  options.outlier_fraction = q;
  for (auto _ : state) benchmark::DoNotOptimize(estimate::fit_upper_envelope(g, L, options));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}
BENCHMARK(BM_EnvelopeFit)
    ->Args({30000, 0})
    ->Args({30000, 10})
    ->Args({300000, 10})
    ->Unit(benchmark::kMillisecond);

// 10 000 draws × 112 coordinates (Mushrooms' d): Hill, moments, symmetry tests.
void BM_AnalyzeNoise(benchmark::State& state) {
  Rng rng(2);
  Matrix z(10000, 112);
  for (Index j = 0; j < z.cols(); ++j)
    for (Index i = 0; i < z.rows(); ++i) z(i, j) = rng.normal() / rng.uniform_open();
  std::vector<Index> coordinates(112);
  std::iota(coordinates.begin(), coordinates.end(), Index{0});
  for (auto _ : state) benchmark::DoNotOptimize(estimate::analyze_noise(z, coordinates, 2.0, 100));
}
BENCHMARK(BM_AnalyzeNoise)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
