#pragma once
// A fixed team of threads for fine-grained parallel loops: for_each(n, f) runs f(0..n−1) on
// the team (the calling thread included) and returns when every call has finished. Meant for
// loops of a few hundred microseconds issued thousands of times (the runner's lock-step passes
// over the data), hence no task queue and no condition variables on the fast path: idle team
// threads spin for a while on an atomic generation counter, then sleep on it (C++20
// atomic wait), so a team that is not used costs nothing.
//
// Which thread runs which index is not fixed; callers that need deterministic results must
// make f(i) independent of the thread (write to slot i, combine in index order afterwards).
#include <atomic>
#include <cstdint>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace signopt {

class ThreadTeam {
 public:
  // A team of `threads` threads in all: the caller of for_each and threads − 1 helpers.
  explicit ThreadTeam(int threads);
  ThreadTeam(const ThreadTeam&) = delete;
  ThreadTeam& operator=(const ThreadTeam&) = delete;
  ~ThreadTeam();

  int size() const { return static_cast<int>(helpers_.size()) + 1; }

  // Calls f(i) for every i in [0, n), spread over the team; returns when all have returned.
  // The first exception thrown by any call is rethrown here (the other calls still run).
  // Not reentrant: f must not call for_each on the same team.
  void for_each(std::size_t n, const std::function<void(std::size_t)>& f);

 private:
  void helper_loop();
  void work();

  std::vector<std::thread> helpers_;
  // The current loop, written by for_each before it bumps generation_ and read by helpers
  // after they see the bump; for_each returns only when every helper has checked out
  // (pending_ = 0), so the next loop never overwrites them under a helper.
  const std::function<void(std::size_t)>* task_ = nullptr;
  std::size_t count_ = 0;
  std::atomic<std::size_t> next_{0};
  std::atomic<std::size_t> pending_{0};
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<int> sleepers_{0};  // helpers asleep on generation_: only then is a wake-up needed
  std::atomic<bool> stop_{false};
  std::mutex error_mutex_;
  std::exception_ptr error_;
};

}  // namespace signopt
