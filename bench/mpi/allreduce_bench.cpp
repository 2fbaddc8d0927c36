// One aggregation step over MPI at large d: majority vote on packed sign bits
// (MPI_Allgather of d/64 words per rank + bit-sliced count) against MPI_Allreduce of the d fp32
// values (the baseline of distributed SGD).
//   mpirun -np 4 build/bench-mpi/allreduce_bench [d] [repetitions]
// Times are the median over repetitions of the slowest rank's time (a barrier before each).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include <mpi.h>

#include "signopt/core/rng.hpp"
#include "signopt/distributed/bit_packing.hpp"
#include "signopt/distributed/communicator.hpp"
#include "signopt/distributed/distributed_step.hpp"
#include "signopt/distributed/majority_vote.hpp"
#include "signopt/distributed/mpi_communicator.hpp"

namespace {

using namespace signopt;

// Median over repetitions of the slowest rank's seconds for `work`.
double time_collective(int repetitions, const std::function<void()>& work) {
  std::vector<double> samples;
  for (int r = -2; r < repetitions; ++r) {  // two warm-up rounds
    MPI_Barrier(MPI_COMM_WORLD);
    const double start = MPI_Wtime();
    work();
    double elapsed = MPI_Wtime() - start, slowest = 0.0;
    MPI_Allreduce(&elapsed, &slowest, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    if (r >= 0) samples.push_back(slowest);
  }
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  MpiSession session(&argc, &argv);
  const Index d = argc > 1 ? std::atoll(argv[1]) : 10'000'000;
  const int repetitions = argc > 2 ? std::atoi(argv[2]) : 15;
  const int rank = session.rank(), m = session.size();

  // Each rank's "gradient": uniform on (−1, 1), its own stream.
  Rng rng = Rng::derive({2024, static_cast<std::uint64_t>(rank), stream_tag("bench")});
  Vector g(d);
  for (Index i = 0; i < d; ++i) g[i] = 2.0 * rng.uniform() - 1.0;
  std::vector<float> values(static_cast<std::size_t>(d));
  for (Index i = 0; i < d; ++i) values[static_cast<std::size_t>(i)] = static_cast<float>(g[i]);

  const Index words = packed_word_count(d);
  MessageBuffer messages(m, words);
  std::vector<std::uint64_t> majority(static_cast<std::size_t>(words));
  MpiCommunicator communicator;

  const double t_allreduce = time_collective(repetitions, [&] {
    MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(d), MPI_FLOAT, MPI_SUM,
                  MPI_COMM_WORLD);
  });
  // A second fp32 baseline that moves the same data as MPI_Allreduce by the algorithm the
  // majority vote uses (allgather, then a local sum in rank order): it separates the cost of
  // the bytes from how the MPI library schedules its reduction.
  std::vector<float> gathered(static_cast<std::size_t>(d) * static_cast<std::size_t>(m));
  std::vector<float> summed(static_cast<std::size_t>(d));
  const double t_allgather_fp32 = time_collective(repetitions, [&] {
    MPI_Allgather(values.data(), static_cast<int>(d), MPI_FLOAT, gathered.data(),
                  static_cast<int>(d), MPI_FLOAT, MPI_COMM_WORLD);
    std::copy_n(gathered.begin(), d, summed.begin());
    for (int j = 1; j < m; ++j) {
      const float* part =
          gathered.data() + static_cast<std::size_t>(j) * static_cast<std::size_t>(d);
      for (Index i = 0; i < d; ++i) summed[static_cast<std::size_t>(i)] += part[i];
    }
  });
  const double t_pack = time_collective(repetitions, [&] { pack_signs(g, messages.slot(rank)); });
  const double t_allgather =
      time_collective(repetitions, [&] { communicator.allgather(messages); });
  const double t_count = time_collective(repetitions, [&] {
    majority_vote_packed({messages.all(), m, words, words}, majority);
  });
  const double t_vote = time_collective(repetitions, [&] {
    communicator.allgather(messages);
    majority_vote_packed({messages.all(), m, words, words}, majority);
  });
  // The whole library step: sign compression, allgather, count, unpack, x ← x − γ·vote.
  DistributedStep step(distributed_recipe("majority-vote-signsgd", m), d, communicator,
                       StreamKey{});
  Vector x = Vector::Zero(d);
  const std::vector<Vector> local{g};
  const double t_step = time_collective(repetitions, [&] { step.step(x, local, 1e-3); });

  if (rank == 0) {
    const double mb = 1e-6;
    std::printf("d = %lld, np = %d, %d repetitions (median of the slowest rank)\n",
                static_cast<long long>(d), m, repetitions);
    std::printf("payload per worker: fp32 %.2f MB, packed signs %.2f MB (d/8 bytes = %.2f MB)\n",
                4.0 * d * mb, 8.0 * words * mb, d / 8.0 * mb);
    std::printf(
        "bytes each rank sends (ring algorithms): allreduce 2(M-1)/M*4d = %.2f MB, "
        "allgather (M-1)*d/8 = %.2f MB\n",
        2.0 * (m - 1) / m * 4.0 * d * mb, (m - 1) * 8.0 * words * mb);
    std::printf("%-44s %9.3f ms\n", "MPI_Allreduce fp32 (sum)", 1e3 * t_allreduce);
    std::printf("%-44s %9.3f ms\n", "fp32 allgather + local sum", 1e3 * t_allgather_fp32);
    std::printf("%-44s %9.3f ms\n", "majority: allgather packed words", 1e3 * t_allgather);
    std::printf("%-44s %9.3f ms\n", "majority: bit-sliced count", 1e3 * t_count);
    std::printf("%-44s %9.3f ms  (%.4f of fp32 allreduce, %.4f of fp32 allgather+sum)\n",
                "majority: allgather + count", 1e3 * t_vote, t_vote / t_allreduce,
                t_vote / t_allgather_fp32);
    std::printf("%-44s %9.3f ms\n", "pack signs (compression, not in the step)", 1e3 * t_pack);
    std::printf("%-44s %9.3f ms\n", "DistributedStep (pack..update), majority", 1e3 * t_step);
  }
  return 0;
}
