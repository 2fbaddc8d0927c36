#include "signopt/distributed/mpi_communicator.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>
#include <thread>
#include <vector>

#include "signopt/core/error.hpp"

#if defined(SIGNOPT_HAVE_MPI)
#include <mpi.h>
#endif

namespace signopt {
namespace {

std::atomic<double> g_answer_timeout{120.0};

}  // namespace

void MpiCommunicator::set_answer_timeout(double seconds) {
  require(seconds > 0 && seconds < 1e9, "the MPI answer timeout must be > 0 seconds, got {}", seconds);
  g_answer_timeout = seconds;
}

double MpiCommunicator::answer_timeout() { return g_answer_timeout.load(); }

#if defined(SIGNOPT_HAVE_MPI)
namespace {

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::atomic<std::int64_t> g_waiting_since_ns{0};  // 0: not inside a collective
std::atomic<int> g_watched_rank{0};
std::once_flag g_watchdog_started;

// Marks the time spent inside one collective; the watchdog (one thread per process, making no
// MPI call, so MPI_THREAD_FUNNELED suffices) ends the process when it exceeds the timeout.
class CollectiveWatch {
 public:
  explicit CollectiveWatch(int rank) {
    g_watched_rank = rank;
    std::call_once(g_watchdog_started, [] {
      std::thread([] {
        for (;;) {
          std::this_thread::sleep_for(std::chrono::milliseconds(200));
          const std::int64_t since = g_waiting_since_ns.load();
          if (since == 0) continue;
          const double waited = static_cast<double>(now_ns() - since) * 1e-9;
          if (waited > g_answer_timeout.load()) {
            std::fprintf(stderr,
                         "signopt: error (rank %d): no answer from the other MPI ranks for %.1f s (a rank "
                         "stopped, hangs or died); ending the job (the limit is --mpi-timeout %g)\n",
                         g_watched_rank.load(), waited, g_answer_timeout.load());
            std::fflush(stderr);
            std::_Exit(2);
          }
        }
      }).detach();
    });
    g_waiting_since_ns = now_ns();
  }
  ~CollectiveWatch() { g_waiting_since_ns = 0; }
  CollectiveWatch(const CollectiveWatch&) = delete;
  CollectiveWatch& operator=(const CollectiveWatch&) = delete;
};

}  // namespace

namespace {

void check(int code, const char* what) {
  if (code == MPI_SUCCESS) return;
  std::array<char, MPI_MAX_ERROR_STRING> text{};
  int length = 0;
  MPI_Error_string(code, text.data(), &length);
  fail("MPI call {} failed: {}", what, std::string(text.data(), static_cast<std::size_t>(length)));
}

// What each rank contributes to the setup check: its fingerprint and a readable description.
struct SetupRecord {
  std::uint64_t fingerprint = 0;
  std::array<char, 248> description{};
};

}  // namespace

bool mpi_supported() noexcept { return true; }

MpiSession::MpiSession(int* argc, char*** argv) {
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (!initialised) {
    int provided = 0;
    check(MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
    owns_ = true;
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() {
  if (!owns_) return;
  int finalised = 0;
  MPI_Finalized(&finalised);
  if (!finalised) MPI_Finalize();
}

void MpiSession::abort(int code) {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::abort();  // MPI_Abort does not return; this satisfies [[noreturn]]
}

namespace {
MPI_Comm comm_of(int handle) { return MPI_Comm_f2c(handle); }
}  // namespace

MpiCommunicator::MpiCommunicator() : MpiCommunicator(static_cast<int>(MPI_Comm_c2f(MPI_COMM_WORLD))) {}

MpiCommunicator::MpiCommunicator(int fortran_handle) : handle_(fortran_handle) {
  int initialised = 0;
  MPI_Initialized(&initialised);
  require(initialised != 0, "MpiCommunicator: MPI is not initialised (create an MpiSession first)");
  int rank = 0, size = 1;
  MPI_Comm_rank(comm_of(handle_), &rank);
  MPI_Comm_size(comm_of(handle_), &size);
  rank_ = rank;
  size_ = size;
}

std::unique_ptr<MpiCommunicator> MpiCommunicator::first_ranks(Index workers) {
  int world_rank = 0, world_size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world_size);
  require(workers >= 1 && workers <= world_size, "a communicator of {} ranks in a launch of {}", workers,
          world_size);
  MPI_Comm split = MPI_COMM_NULL;
  {
    const CollectiveWatch watch(world_rank);
    check(MPI_Comm_split(MPI_COMM_WORLD, world_rank < workers ? 0 : MPI_UNDEFINED, world_rank, &split),
          "MPI_Comm_split");
  }
  if (split == MPI_COMM_NULL) return nullptr;
  std::unique_ptr<MpiCommunicator> out(new MpiCommunicator(static_cast<int>(MPI_Comm_c2f(split))));
  out->owned_ = true;
  return out;
}

MpiCommunicator::~MpiCommunicator() {
  if (!owned_) return;
  int finalised = 0;
  MPI_Finalized(&finalised);
  if (finalised != 0) return;
  MPI_Comm comm = comm_of(handle_);
  MPI_Comm_free(&comm);
}

void MpiCommunicator::broadcast(std::span<std::uint64_t> words) {
  require(words.size() <= static_cast<std::size_t>(std::numeric_limits<int>::max()),
          "a broadcast of {} words is too large", words.size());
  const CollectiveWatch watch(static_cast<int>(rank_));
  check(MPI_Bcast(words.data(), static_cast<int>(words.size()), MPI_UINT64_T, 0, comm_of(handle_)), "MPI_Bcast");
}

void MpiCommunicator::require_same_setup(std::uint64_t fingerprint,
                                         const std::string& description) {
  SetupRecord mine;
  mine.fingerprint = fingerprint;
  std::memcpy(mine.description.data(), description.data(),
              std::min(description.size(), mine.description.size() - 1));
  std::vector<SetupRecord> all(static_cast<std::size_t>(size_));
  const CollectiveWatch watch(static_cast<int>(rank_));
  check(MPI_Allgather(&mine, sizeof(SetupRecord), MPI_BYTE, all.data(), sizeof(SetupRecord),
                      MPI_BYTE, comm_of(handle_)),
        "MPI_Allgather (setup check)");
  bool same = true;
  for (const auto& r : all) same = same && r.fingerprint == all[0].fingerprint;
  if (same) return;
  std::string listing;
  for (std::size_t j = 0; j < all.size(); ++j)
    listing += fmt::format("\n  rank {}: {} (fingerprint {:016x})", j, all[j].description.data(),
                           all[j].fingerprint);
  fail(
      "MPI ranks disagree on the distributed setup (rank {} of {} reporting); every rank must run "
      "the same config on the same problem:{}",
      rank_, size_, listing);
}

void MpiCommunicator::allgather(MessageBuffer& buffer) {
  require(buffer.workers() == size_, "message buffer has {} slots for {} MPI ranks",
          buffer.workers(), size_);
  require(buffer.words_per_worker() <= std::numeric_limits<int>::max(),
          "a message of {} words is too large for one MPI_Allgather", buffer.words_per_worker());
  const CollectiveWatch watch(static_cast<int>(rank_));
  check(MPI_Allgather(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, buffer.all().data(),
                      static_cast<int>(buffer.words_per_worker()), MPI_UINT64_T, comm_of(handle_)),
        "MPI_Allgather (messages)");
}

bool MpiCommunicator::any_process(bool local) {
  const CollectiveWatch watch(static_cast<int>(rank_));
  int mine = local ? 1 : 0, any = 0;
  check(MPI_Allreduce(&mine, &any, 1, MPI_INT, MPI_MAX, comm_of(handle_)), "MPI_Allreduce (stop flag)");
  return any != 0;
}

#else  // no MPI in this build

bool mpi_supported() noexcept { return false; }

namespace {
[[noreturn]] void no_mpi() {
  fail(
      "this signopt was built without MPI (install libopenmpi-dev and reconfigure with "
      "-DSIGNOPT_WITH_MPI=ON)");
}
}  // namespace

MpiSession::MpiSession(int*, char***) { no_mpi(); }
MpiSession::~MpiSession() = default;
void MpiSession::abort(int code) { std::exit(code); }
MpiCommunicator::MpiCommunicator() { no_mpi(); }
MpiCommunicator::MpiCommunicator(int) { no_mpi(); }
MpiCommunicator::~MpiCommunicator() = default;
std::unique_ptr<MpiCommunicator> MpiCommunicator::first_ranks(Index) { no_mpi(); }
void MpiCommunicator::broadcast(std::span<std::uint64_t>) { no_mpi(); }
void MpiCommunicator::require_same_setup(std::uint64_t, const std::string&) { no_mpi(); }
void MpiCommunicator::allgather(MessageBuffer&) { no_mpi(); }
bool MpiCommunicator::any_process(bool) { no_mpi(); }

#endif

}  // namespace signopt
