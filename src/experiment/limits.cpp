#include "signopt/experiment/limits.hpp"

#include <unistd.h>

#include <algorithm>

#include "signopt/core/error.hpp"
#include "signopt/experiment/config.hpp"

namespace signopt::experiment {

std::uint64_t default_max_memory() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return std::uint64_t{8} << 30;  // unknown: 8 GiB
  return static_cast<std::uint64_t>(pages) / 4 * 3 * static_cast<std::uint64_t>(page_size);
}

std::string format_bytes(double bytes) {
  if (bytes >= 1024.0 * 1024 * 1024) return fmt::format("{:.1f} GiB", bytes / (1024.0 * 1024 * 1024));
  return fmt::format("{:.1f} MiB", bytes / (1024.0 * 1024));
}

MemoryEstimate estimate_study_memory(const ExperimentConfig& config, Index dim, Index workers,
                                     Index trace_columns) {
  // Evaluation points, counted without building the schedule (which is itself that large).
  const double points = config.evaluation.log_points > 0
                            ? static_cast<double>(config.evaluation.log_points) + 2
                            : static_cast<double>(config.max_iterations()) /
                                      static_cast<double>(std::max<Index>(1, config.evaluation.every)) +
                                  2;
  const double runs = static_cast<double>(config.seeds) * static_cast<double>(config.methods.size());
  MemoryEstimate e;
  e.trace_bytes = runs * points * static_cast<double>(trace_columns + 1) * (8.0 + 24.0);
  const double together = std::min(runs, 64.0);
  e.state_bytes = together * static_cast<double>(dim) * 8.0 * (8.0 + 2.0 * static_cast<double>(workers));
  return e;
}

void check_study_memory(const ExperimentConfig& config, Index dim,
                        Index trace_columns, std::uint64_t max_memory) {
  if (max_memory == 0) max_memory = default_max_memory();
  Index workers = 0;
  for (const auto& m : config.methods) {
    if (m.workers > 0) workers = std::max(workers, m.workers);
  }
  const MemoryEstimate e = estimate_study_memory(config, dim, workers, trace_columns);
  if (e.total() <= static_cast<double>(max_memory)) return;
  fail("{}: the study needs about {} of memory, more than the limit of {} (--max-memory): traces {} "
       "(seeds = {} × {} methods, iterations = {}, [evaluation] every = {} / log_points = {}), run "
       "state {} (d = {}, workers = {}); lower seeds, iterations or the evaluation points, or raise "
       "--max-memory",
       config.source.string(), format_bytes(e.total()), format_bytes(static_cast<double>(max_memory)),
       format_bytes(e.trace_bytes), config.seeds, config.methods.size(), config.max_iterations(),
       config.evaluation.every, config.evaluation.log_points, format_bytes(e.state_bytes), dim, workers);
}

}  // namespace signopt::experiment
