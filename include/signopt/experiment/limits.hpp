#pragma once
// The sizes a study may ask for. Each bound keeps one quantity from allocating memory (or time)
// out of proportion to the machine; a config key, flag or data file beyond one is an Error that
// names the key (file:line) or flag and the limit. docs/outputs.md lists them.
#include <cstdint>
#include <string>

#include "signopt/core/types.hpp"

namespace signopt::experiment {

struct ExperimentConfig;

inline constexpr Index kMaxSeeds = 1'000'000;           // seeds, --seeds
inline constexpr Index kMaxIterations = 1'000'000'000;  // iterations (T)
inline constexpr Index kMaxThreads = 1024;              // threads, --threads
inline constexpr Index kMaxDimension = Index{1} << 24;  // problem.dim (as LIBSVM features)
inline constexpr Index kMaxHiddenWidth = Index{1} << 16;  // each entry of problem.hidden
inline constexpr Index kMaxHiddenLayers = 64;
inline constexpr Index kMaxBatch = Index{1} << 20;       // oracle.batch
inline constexpr Index kMaxLogPoints = 1'000'000;       // evaluation.log_points
inline constexpr Index kMaxWorkers = 4096;              // method.workers, --workers

// The memory a run is allowed by default: three quarters of the machine's physical memory.
std::uint64_t default_max_memory();

// What a study holds in memory at its peak, estimated from the sizes that grow with the config:
// the recorded traces of every run (seeds × methods × evaluation points of the longest method ×
// columns, 8 bytes a
// value and about 24 bytes of text each once formatted) and the dense vectors of the runs
// stepped together (groups of up to 64 runs, each holding about 8 vectors of length d and 2 per
// distributed worker).
struct MemoryEstimate {
  double trace_bytes = 0;
  double state_bytes = 0;
  double total() const { return trace_bytes + state_bytes; }
};
// workers: the most workers of any distributed method (0 without any).
MemoryEstimate estimate_study_memory(const ExperimentConfig& config, Index dim, Index workers,
                                     Index trace_columns);

// Error unless the estimate fits in max_memory bytes (0: default_max_memory()); the message names
// the config file, the keys that drive it (seeds, iterations, [evaluation], dim, hidden, workers)
// and the limit. (--workers is already in the config: ExperimentConfig::override_workers.)
void check_study_memory(const ExperimentConfig& config, Index dim, Index trace_columns,
                        std::uint64_t max_memory);

std::string format_bytes(double bytes);

}  // namespace signopt::experiment
