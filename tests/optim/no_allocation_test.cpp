// Steps do not allocate: every buffer is sized in reset(). Counted by interposing malloc for
// this test binary (Eigen allocates through malloc, operator new ends in malloc too); counting
// is switched on only around the steps. Sanitizer builds own malloc, so there the test skips.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>

#include "signopt/optim/method_registry.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define SIGNOPT_COUNT_MALLOC 0
#else
#define SIGNOPT_COUNT_MALLOC 1
#endif

namespace {
std::atomic<bool> counting{false};
std::atomic<long> allocations{0};
}  // namespace

#if SIGNOPT_COUNT_MALLOC
extern "C" void* __libc_malloc(std::size_t size);  // glibc's own allocator
extern "C" void* malloc(std::size_t size) {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1);
  return __libc_malloc(size);
}
#endif

namespace signopt::optim {
namespace {

TEST(OptimizerAllocations, UpdateDoesNotAllocateForAnyRecipe) {
  if (!SIGNOPT_COUNT_MALLOC) GTEST_SKIP() << "malloc belongs to the sanitizer here";
  // The counter works: an Eigen vector allocated while counting is seen.
  allocations = 0;
  counting = true;
  {
    Vector probe(1000);
    probe.setZero();
    counting = false;
    EXPECT_EQ(probe.sum(), 0.0);
  }
  ASSERT_GE(allocations.load(), 1);

  for (const auto& name : method_names()) {
    auto opt = make_optimizer(name);
    Vector x = Vector::LinSpaced(1000, -1.0, 1.0);
    const Vector g = Vector::LinSpaced(1000, 2.0, -3.0);
    opt->reset(x);
    allocations = 0;
    counting = true;
    for (Index k = 1; k <= 20; ++k) opt->update(k, g, x);
    counting = false;
    EXPECT_EQ(allocations.load(), 0) << name;
  }
}

}  // namespace
}  // namespace signopt::optim
