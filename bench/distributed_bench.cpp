// Kernels of the distributed layer at large d (single process, Google Benchmark):
// sign packing, unpacking into an update, the bit-sliced majority vote, and one whole
// in-process MajorityVote-SignSGD step.
#include <benchmark/benchmark.h>

#include <vector>

#include "signopt/core/rng.hpp"
#include "signopt/distributed/bit_packing.hpp"
#include "signopt/distributed/distributed_step.hpp"
#include "signopt/distributed/in_process_communicator.hpp"
#include "signopt/distributed/majority_vote.hpp"

namespace {

using namespace signopt;

Vector random_vector(Index d, std::uint64_t seed) {
  Rng rng(seed);
  Vector v(d);
  for (Index i = 0; i < d; ++i) v[i] = 2.0 * rng.uniform() - 1.0;
  return v;
}

void BM_PackSigns(benchmark::State& state) {
  const Index d = state.range(0);
  const Vector v = random_vector(d, 1);
  std::vector<std::uint64_t> words(static_cast<std::size_t>(packed_word_count(d)));
  for (auto _ : state) {
    pack_signs(v, words);
    benchmark::DoNotOptimize(words.data());
  }
  state.SetBytesProcessed(state.iterations() * d * 8);
}
BENCHMARK(BM_PackSigns)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

void BM_AddScaledSigns(benchmark::State& state) {
  const Index d = state.range(0);
  std::vector<std::uint64_t> words(static_cast<std::size_t>(packed_word_count(d)));
  pack_signs(random_vector(d, 2), words);
  Vector x = Vector::Zero(d);
  for (auto _ : state) {
    add_scaled_signs(words, -1e-3, std::span<double>(x.data(), static_cast<std::size_t>(d)));
    benchmark::DoNotOptimize(x.data());
  }
  state.SetBytesProcessed(state.iterations() * d * 8);
}
BENCHMARK(BM_AddScaledSigns)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

void BM_MajorityVotePacked(benchmark::State& state) {
  const Index d = 10'000'000, m = state.range(0);
  const Index words = packed_word_count(d);
  std::vector<std::uint64_t> votes(static_cast<std::size_t>(m * words));
  Rng rng(3);
  for (auto& w : votes) w = rng.next();
  std::vector<std::uint64_t> out(static_cast<std::size_t>(words));
  for (auto _ : state) {
    majority_vote_packed({votes, m, words, words}, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * d * m);  // votes counted
}
BENCHMARK(BM_MajorityVotePacked)->Arg(2)->Arg(4)->Arg(16)->Unit(benchmark::kMillisecond);

void BM_InProcessMajorityVoteStep(benchmark::State& state) {
  const Index d = 10'000'000, m = state.range(0);
  InProcessCommunicator comm(m);
  DistributedStep step(distributed_recipe("majority-vote-signsgd", m), d, comm, {});
  std::vector<Vector> g;
  for (Index j = 0; j < m; ++j) g.push_back(random_vector(d, static_cast<std::uint64_t>(10 + j)));
  Vector x = Vector::Zero(d);
  for (auto _ : state) {
    step.step(x, g, 1e-3);
    benchmark::DoNotOptimize(x.data());
  }
}
BENCHMARK(BM_InProcessMajorityVoteStep)->Arg(4)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
