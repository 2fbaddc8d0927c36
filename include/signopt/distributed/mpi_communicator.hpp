#pragma once
// One MPI rank per worker (OpenMPI): rank j computes worker j. Over MPI_COMM_WORLD, M is the
// launch's size (`mpirun -np M <program> ...`); first_ranks(M) makes a communicator of the
// launch's first M ranks (MPI_Comm_split), so that one launch runs methods of different M, each
// on ranks 0..M−1 (the experiment runner does; rank 0 is in every one of them).
//
// allgather() is MPI_Allgather of the message words (in place). For majority vote at
// d = 10^7 and M = 2..4 this beats a custom reduction on bit-sliced counters: each rank ships
// its d/8 bytes once and counts the M·d/64 words locally, which takes less time than the
// transfer (see bench/README.md).
// Failure: a rank that dies makes mpirun end the job (MPI_ERRORS_ARE_FATAL); ranks that
// disagree on the setup all throw the same Error from require_same_setup(). A rank that stops
// answering (stopped, hung) would leave the others waiting in a collective forever: a watchdog
// thread ends a rank that has waited in one collective longer than the answer timeout, with an
// error on stderr and exit code 2, and mpirun then ends the job.
//
// This header does not include <mpi.h>; without MPI support in the build (SIGNOPT_HAVE_MPI
// undefined) every constructor throws Error.
#include <memory>
#include <span>

#include "signopt/distributed/communicator.hpp"

namespace signopt {

// Whether this build has MPI.
bool mpi_supported() noexcept;

// Initialises MPI on construction (unless already initialised) and finalises it on
// destruction (if this object initialised it). Create one in main() before any
// MpiCommunicator.
class MpiSession {
 public:
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }

  // Ends every rank of the job with `code` (MPI_Abort): for a rank that cannot go on.
  [[noreturn]] static void abort(int code);

 private:
  bool owns_ = false;
  int rank_ = 0;
  int size_ = 1;
};

class MpiCommunicator final : public Communicator {
 public:
  // Over MPI_COMM_WORLD; MPI must be initialised (MpiSession).
  MpiCommunicator();
  // Collective over MPI_COMM_WORLD (every rank calls it, in the same order): a communicator of
  // world ranks 0..workers−1 on those ranks, null on the others. 1 ≤ workers ≤ world size.
  static std::unique_ptr<MpiCommunicator> first_ranks(Index workers);
  ~MpiCommunicator() override;
  MpiCommunicator(const MpiCommunicator&) = delete;
  MpiCommunicator& operator=(const MpiCommunicator&) = delete;

  std::string name() const override { return "mpi"; }
  Index workers() const override { return size_; }
  Index first_local_worker() const override { return rank_; }
  Index local_workers() const override { return 1; }
  void require_same_setup(std::uint64_t fingerprint, const std::string& description) override;
  void allgather(MessageBuffer& buffer) override;
  bool any_process(bool local) override;

  int rank() const { return static_cast<int>(rank_); }

  // Collective: rank 0's words replace every other rank's (the same length on every rank).
  void broadcast(std::span<std::uint64_t> words);

  // Seconds a rank may wait in one collective before it ends the job (default 120; > 0).
  static void set_answer_timeout(double seconds);
  static double answer_timeout();

 private:
  explicit MpiCommunicator(int fortran_handle);

  Index rank_ = 0;
  Index size_ = 1;
  int handle_ = 0;     // the communicator as MPI_Comm_c2f gives it (this header has no <mpi.h>)
  bool owned_ = false;  // a split communicator, freed on destruction
};

}  // namespace signopt
