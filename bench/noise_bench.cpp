// Sampling cost of each noise model: ns per sample when filling a 4096-vector (the oracle draws
// d samples per step, so this is the per-coordinate cost of noise).
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "signopt/core/normal_ziggurat.hpp"
#include "signopt/noise/noise_registry.hpp"

namespace {

constexpr std::size_t kFill = 4096;

void report(benchmark::State& state) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * kFill);
  // Seconds per sample, printed with an SI prefix ("9.2n" = 9.2 ns).
  state.counters["time_per_sample"] =
      benchmark::Counter(static_cast<double>(kFill), benchmark::Counter::kIsIterationInvariantRate |
                                                         benchmark::Counter::kInvert);
}

void fill_model(benchmark::State& state, const std::string& name,
                const signopt::NoiseParameters& parameters) {
  const auto model = signopt::make_noise_model(name, parameters);
  signopt::Rng rng(1);
  std::vector<double> out(kFill);
  for (auto _ : state) {
    model->sample(rng, out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  report(state);
}

// Baselines: a uniform draw (the floor), the polar method of Rng::normal and the ziggurat without
// the virtual call.
void BM_Uniform(benchmark::State& state) {
  signopt::Rng rng(1);
  std::vector<double> out(kFill);
  for (auto _ : state) {
    for (double& v : out) v = rng.uniform();
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  report(state);
}
BENCHMARK(BM_Uniform);

void BM_PolarNormal(benchmark::State& state) {
  signopt::Rng rng(1);
  std::vector<double> out(kFill);
  for (auto _ : state) {
    for (double& v : out) v = rng.normal();
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  report(state);
}
BENCHMARK(BM_PolarNormal);

void BM_ZigguratNormal(benchmark::State& state) {
  signopt::Rng rng(1);
  std::vector<double> out(kFill);
  for (auto _ : state) {
    signopt::fill_standard_normal(rng, out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  report(state);
}
BENCHMARK(BM_ZigguratNormal);

BENCHMARK_CAPTURE(fill_model, gaussian, "gaussian", {{"scale", 1.0}});
BENCHMARK_CAPTURE(fill_model, student_t_nu1_5, "student-t", {{"nu", 1.5}});
BENCHMARK_CAPTURE(fill_model, alpha_stable_a1_5, "alpha-stable", {{"alpha", 1.5}});
BENCHMARK_CAPTURE(fill_model, alpha_stable_a1_5_b0_5, "alpha-stable",
                  {{"alpha", 1.5}, {"beta", 0.5}});
BENCHMARK_CAPTURE(fill_model, alpha_stable_a1_b0_5, "alpha-stable",
                  {{"alpha", 1.0}, {"beta", 0.5}});
BENCHMARK_CAPTURE(fill_model, alpha_stable_a2, "alpha-stable", {{"alpha", 2.0}});
BENCHMARK_CAPTURE(fill_model, pareto_shape1_5, "pareto", {{"shape", 1.5}});
BENCHMARK_CAPTURE(fill_model, cauchy, "cauchy", {{"scale", 1.0}});

}  // namespace

BENCHMARK_MAIN();
