#include "signopt/core/thread_team.hpp"

#include "signopt/core/error.hpp"

namespace signopt {
namespace {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#else
  std::this_thread::yield();
#endif
}

// A waiting thread first spins for some tens of microseconds (the next loop usually comes
// sooner; yielding at once cost 3% of the default study in system calls), then yields its core
// for a few hundred microseconds more (other work may need it: a team never oversubscribes the
// machine, but the machine may be busy), and finally sleeps.
constexpr int kSpins = 2000;
constexpr int kYields = 300;

// One waiting step: spin, then yield.
inline void pause_or_yield(int& round) {
  if (round++ < kSpins) {
    cpu_relax();
  } else {
    std::this_thread::yield();
  }
}

}  // namespace

ThreadTeam::ThreadTeam(int threads) {
  require(threads >= 1, "a thread team needs at least one thread, got {}", threads);
  for (int t = 1; t < threads; ++t) helpers_.emplace_back([this] { helper_loop(); });
}

ThreadTeam::~ThreadTeam() {
  stop_.store(true, std::memory_order_release);
  generation_.fetch_add(1, std::memory_order_release);
  generation_.notify_all();
  for (auto& t : helpers_) t.join();
}

void ThreadTeam::work() {
  for (std::size_t i = next_.fetch_add(1, std::memory_order_relaxed); i < count_;
       i = next_.fetch_add(1, std::memory_order_relaxed)) {
    try {
      (*task_)(i);
    } catch (...) {
      std::lock_guard lock(error_mutex_);
      if (!error_) error_ = std::current_exception();
    }
  }
}

void ThreadTeam::helper_loop() {
  std::uint64_t seen = 0;
  while (true) {
    std::uint64_t now = generation_.load(std::memory_order_acquire);
    for (int round = 0; now == seen && round < kSpins + kYields;) {
      pause_or_yield(round);
      now = generation_.load(std::memory_order_acquire);
    }
    if (now == seen) {
      sleepers_.fetch_add(1);
      generation_.wait(seen);  // returns at once if the generation moved meanwhile
      sleepers_.fetch_sub(1);
      now = generation_.load(std::memory_order_acquire);
    }
    seen = now;
    if (stop_.load(std::memory_order_acquire)) return;
    work();
    pending_.fetch_sub(1, std::memory_order_acq_rel);
  }
}

void ThreadTeam::for_each(std::size_t n, const std::function<void(std::size_t)>& f) {
  if (n == 0) return;
  task_ = &f;
  count_ = n;
  error_ = nullptr;
  next_.store(0, std::memory_order_relaxed);
  pending_.store(helpers_.size(), std::memory_order_relaxed);
  generation_.fetch_add(1);  // publishes the loop to the helpers
  if (sleepers_.load() > 0) generation_.notify_all();
  work();
  for (int round = 0; pending_.load(std::memory_order_acquire) != 0;) pause_or_yield(round);
  task_ = nullptr;
  if (error_) std::rethrow_exception(error_);
}

}  // namespace signopt
