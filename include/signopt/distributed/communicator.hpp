#pragma once
// Communicators: how the M workers' messages meet (the Communicator of the GRACE split).
//
// Every process holds a buffer with one fixed-size slot per worker (all messages of a step
// have the same size: every compressor's message size depends only on d). A process fills
// the slots of the workers it computes (its "local" workers, a contiguous range), calls
// allgather(), and then holds every worker's message; each process then computes the same
// aggregate with the same code, which is what makes runs bit-identical across communicators.
//   InProcessCommunicator: one process computes all M workers; allgather has nothing to do.
//   MpiCommunicator: rank j computes worker j; allgather is MPI_Allgather of the words.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "signopt/core/types.hpp"

namespace signopt {

// Every worker's message, worker j in words [j · words_per_worker, (j + 1) · words_per_worker).
class MessageBuffer {
 public:
  MessageBuffer() = default;
  MessageBuffer(Index workers, Index words_per_worker);

  Index workers() const { return workers_; }
  Index words_per_worker() const { return words_per_worker_; }
  std::span<std::uint64_t> slot(Index worker);
  std::span<const std::uint64_t> slot(Index worker) const;
  std::span<std::uint64_t> all() { return words_; }
  std::span<const std::uint64_t> all() const { return words_; }

 private:
  Index workers_ = 0;
  Index words_per_worker_ = 0;
  std::vector<std::uint64_t> words_;
};

class Communicator {
 public:
  virtual ~Communicator() = default;

  virtual std::string name() const = 0;
  // M, the number of workers of the run.
  virtual Index workers() const = 0;
  // The workers this process computes: [first_local_worker, first_local_worker + local_workers).
  virtual Index first_local_worker() const = 0;
  virtual Index local_workers() const = 0;

  // Collective: every process must pass the same fingerprint (a hash of the dimension and the
  // distributed config). On a mismatch every process throws the same Error, listing each
  // process's description, instead of deadlocking later on differently sized messages.
  virtual void require_same_setup(std::uint64_t fingerprint, const std::string& description) = 0;

  // Collective: on entry the local workers' slots are filled; on return all slots are.
  virtual void allgather(MessageBuffer& buffer) = 0;

  // Collective: whether `local` holds on any process. Used to agree on a stop (a signal that
  // reached one rank) so that every process leaves the step loop at the same step.
  virtual bool any_process(bool local) { return local; }
};

}  // namespace signopt
