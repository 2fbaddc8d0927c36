#include "signopt/core/thread_team.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <vector>

#include "signopt/core/error.hpp"

namespace signopt {
namespace {

TEST(ThreadTeam, RunsEveryIndexExactlyOnce) {
  for (int threads : {1, 2, 3}) {
    ThreadTeam team(threads);
    EXPECT_EQ(team.size(), threads);
    for (std::size_t n : {0, 1, 2, 7, 100}) {
      std::vector<std::atomic<int>> hits(n);
      team.for_each(n, [&](std::size_t i) { hits[i].fetch_add(1); });
      for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(hits[i].load(), 1) << "n " << n << " i " << i;
    }
  }
}

TEST(ThreadTeam, ManyShortLoopsInARowAndAfterSleeping) {
  ThreadTeam team(2);
  std::vector<double> out(16);
  double total = 0;
  for (int round = 0; round < 20000; ++round) {
    team.for_each(out.size(), [&](std::size_t i) { out[i] = static_cast<double>(i * round); });
    total += out[15];
  }
  EXPECT_EQ(total, 15.0 * (19999.0 * 20000.0 / 2.0));
  // The helper falls asleep after spinning; a later loop must wake it.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::atomic<int> calls{0};
  team.for_each(64, [&](std::size_t) { calls.fetch_add(1); });
  EXPECT_EQ(calls.load(), 64);
}

TEST(ThreadTeam, RethrowsTheFirstErrorAfterEveryCallFinished) {
  ThreadTeam team(2);
  std::atomic<int> calls{0};
  EXPECT_THROW(team.for_each(10,
                             [&](std::size_t i) {
                               calls.fetch_add(1);
                               if (i == 3) throw std::runtime_error("three");
                             }),
               std::runtime_error);
  EXPECT_EQ(calls.load(), 10);
  // Still usable afterwards.
  calls = 0;
  team.for_each(5, [&](std::size_t) { calls.fetch_add(1); });
  EXPECT_EQ(calls.load(), 5);
}

TEST(ThreadTeam, NeedsAThread) { EXPECT_THROW(ThreadTeam(0), Error); }

}  // namespace
}  // namespace signopt
