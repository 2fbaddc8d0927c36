#pragma once
// One step of a distributed method, the piece the experiment runner calls each iteration.
//
// Per step, for every local worker j (its gradient estimate g_j comes from the caller, who owns
// one GradientOracle per worker with StreamKey.worker = j):
//   u_j = g_j, or with worker momentum m_j ← β m_j + (1 − β) g_j, u_j = m_j;
//   u_j ← γ u_j                       if the step size is applied on the worker (EF recipes);
//   u_j ← fault(u_j)                  if worker j is adversarial (fault_model.hpp);
//   p_j = u_j + e_j (residual EF) or u_j;  message_j = C(p_j);  e_j ← p_j − decode(message_j).
// Then the communicator gathers every message, each process computes the same aggregate a
// (mean of decoded messages, or the packed majority vote), and
//   x ← x − γ a   (or x ← x − a when γ was applied on the worker).
// Because every process aggregates the same gathered words with the same code in the same
// order, x is bit-identical on every MPI rank and equal to the in-process simulation.
//
// Random streams (per worker j, from the run's StreamKey): "compressor" (rand-k seeds, QSGD
// rounding) and "fault" (random-sign adversaries).
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "signopt/core/rng.hpp"
#include "signopt/core/types.hpp"
#include "signopt/distributed/aggregator.hpp"
#include "signopt/distributed/communicator.hpp"
#include "signopt/distributed/compressor.hpp"
#include "signopt/distributed/distributed_config.hpp"
#include "signopt/distributed/error_feedback.hpp"
#include "signopt/oracle/gradient_oracle.hpp"

namespace signopt {

// Bits one worker sends (uplink) and receives (downlink), as encoded (compressor.hpp,
// aggregator.hpp).
struct StepBits {
  std::uint64_t uplink = 0;
  std::uint64_t downlink = 0;
};

class DistributedStep {
 public:
  // Collective on an MPI communicator: every rank checks that all ranks have the same d and
  // config (else every rank throws Error). Then validates the config for dimension d.
  // `threads` > 1 computes the local workers' messages in parallel (in-process simulation);
  // results do not depend on it.
  DistributedStep(DistributedConfig config, Index dim, Communicator& communicator, StreamKey key,
                  int threads = 1);
  ~DistributedStep();

  // local_gradients[i] is the estimate of worker first_local_worker() + i. Updates x in place
  // and returns this step's bits per worker.
  StepBits step(Vector& x, std::span<const Vector> local_gradients, double step_size);

  const DistributedConfig& config() const { return config_; }
  const Compressor& compressor() const { return *compressor_; }
  Index dim() const { return dim_; }
  Index first_local_worker() const { return communicator_.first_local_worker(); }
  Index local_workers() const { return communicator_.local_workers(); }

  // The aggregate a of the last step (before multiplying by γ).
  // (For majority vote it is unpacked from the packed vote on first request.)
  const Vector& last_aggregate() const;
  // Every worker's message of the last step (after the allgather).
  const MessageBuffer& last_messages() const { return messages_; }
  // Local worker i's momentum and error-feedback residual (empty when unused).
  const Vector& worker_momentum(Index local) const;
  const Vector& worker_residual(Index local) const;

  // Per-worker bits of the last step ({0, 0} before the first; the downlink of the sparse
  // recipes depends on the step, aggregator.hpp), and cumulated since construction.
  StepBits last_step_bits() const { return last_; }
  StepBits total_bits() const { return total_; }
  std::int64_t steps() const { return steps_; }

 private:
  struct Worker;
  void run_worker(Worker& worker, const Vector& gradient, double step_size);

  DistributedConfig config_;
  Index dim_;
  Communicator& communicator_;
  int threads_;
  std::unique_ptr<Compressor> compressor_;
  std::unique_ptr<Aggregator> aggregator_;
  std::vector<std::unique_ptr<Worker>> workers_;
  MessageBuffer messages_;
  mutable Vector aggregate_;
  mutable bool aggregate_pending_ = false;  // majority vote: aggregate_ not yet unpacked
  StepBits last_;
  StepBits total_;
  std::int64_t steps_ = 0;
};

}  // namespace signopt
