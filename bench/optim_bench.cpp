// One optimizer step at d = 10³, 10⁵, 10⁷ with a precomputed gradient, in bytes moved per
// second, next to a STREAM-style triad a = b + s·c measured by the same binary.
//
// Bytes per coordinate are counted as the algorithm must move them (STREAM's convention: a
// read or a write of a double is 8 bytes; write-allocate traffic is not counted):
//   triad       a ← b + s c                                 3 × 8 = 24
//   SignSGD     read g, read+write x                        3 × 8 = 24
//   M-SignSGD   read g, read+write m, read+write x          5 × 8 = 40
//   EF-SignSGD  pass 1: read g, read+write e;
//               pass 2: read+write e, read+write x           7 × 8 = 56
//   Adam        read g, read+write m, v, x                  7 × 8 = 56
#include <benchmark/benchmark.h>

#include "signopt/core/rng.hpp"
#include "signopt/optim/method_registry.hpp"

namespace {

using signopt::Index;
using signopt::Vector;

Vector random_vector(Index d, std::uint64_t seed) {
  signopt::Rng rng(seed);
  Vector v(d);
  for (Index i = 0; i < d; ++i) v[i] = rng.normal();
  return v;
}

void set_bytes(benchmark::State& state, Index d, double bytes_per_coordinate) {
  state.counters["bytes_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(d) * bytes_per_coordinate,
      benchmark::Counter::kIsRate, benchmark::Counter::kIs1024);
}

void BM_Triad(benchmark::State& state) {
  const Index d = state.range(0);
  Vector a = Vector::Zero(d), b = random_vector(d, 1), c = random_vector(d, 2);
  const double s = 1.0001;
  double* pa = a.data();
  const double* pb = b.data();
  const double* pc = c.data();
  for (auto _ : state) {
    for (Index i = 0; i < d; ++i) pa[i] = pb[i] + s * pc[i];
    benchmark::DoNotOptimize(pa);
    benchmark::ClobberMemory();
  }
  set_bytes(state, d, 24.0);
}

void optimizer_step(benchmark::State& state, const char* method, double bytes_per_coordinate) {
  const Index d = state.range(0);
  auto opt = signopt::optim::make_optimizer(method, {{"lr", 1e-6}});
  const Vector g = random_vector(d, 3);
  Vector x = random_vector(d, 4);
  opt->reset(x);
  Index k = 0;
  for (auto _ : state) {
    opt->update(++k, g, x);
    benchmark::DoNotOptimize(x.data());
    benchmark::ClobberMemory();
  }
  set_bytes(state, d, bytes_per_coordinate);
}

void BM_SignSgd(benchmark::State& s) { optimizer_step(s, "signsgd", 24.0); }
void BM_MSignSgd(benchmark::State& s) { optimizer_step(s, "m-signsgd", 40.0); }
void BM_EfSignSgd(benchmark::State& s) { optimizer_step(s, "ef-signsgd", 56.0); }
void BM_Adam(benchmark::State& s) { optimizer_step(s, "adam", 56.0); }

#define SIGNOPT_SIZES ->Arg(1000)->Arg(100000)->Arg(10000000)->Unit(benchmark::kMicrosecond)
BENCHMARK(BM_Triad) SIGNOPT_SIZES;
BENCHMARK(BM_SignSgd) SIGNOPT_SIZES;
BENCHMARK(BM_MSignSgd) SIGNOPT_SIZES;
BENCHMARK(BM_EfSignSgd) SIGNOPT_SIZES;
BENCHMARK(BM_Adam) SIGNOPT_SIZES;

}  // namespace

BENCHMARK_MAIN();
