#pragma once
// What one (method, seed) run produces: its trace on the evaluation schedule and its summary.
// Runs are saved one file pair each (runs/NNN-sSEED.csv / .json) as they finish, which is what
// --resume reads back; every number is written with 17 significant digits, so a run read back
// is bit-identical to the run that was written.
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "signopt/core/types.hpp"

namespace signopt::experiment {

// Metric columns of a trace, in file order (docs/outputs.md):
//   train_loss       the data term of f: (1/n) Σ ℓ_i, without the regulariser (like test_loss)
//   train_objective  f itself, regulariser included (what the optimizers minimise)
//   train_gap        f − f*, when f* is known (convex problems: a reference solve)
//   train_accuracy   on the training set, for labelled data
//   grad_norm1, grad_norm2, grad_norm1_mean   ‖∇f(x^k)‖₁, ‖∇f(x^k)‖₂, (1/K) Σ_{evaluated} ‖∇f‖₁
//   test_loss, test_accuracy                  with a test set
// and the run's costs so far (docs/outputs.md "Cost columns"):
//   oracle_calls     stochastic gradient draws N = Σ_k B_k (all M workers together)
//   epochs           per-sample gradients / n, for problems with data (all workers together)
//   uplink_bits      bits one worker has sent, as encoded (0 for a single-process method)
//   downlink_bits    bits one worker has received (the broadcast aggregate, as encoded)
//   seconds          the run's own compute time (its steps; evaluations excluded)
struct TraceSchema {
  bool has_test = false;
  bool has_gap = false;
  bool has_train_accuracy = false;
  bool has_epochs = false;  // the problem has data (n samples)
  std::vector<std::string> metric_names() const;
};

// Whether a trace column is one of the cost columns (oracle_calls … seconds), not a metric of x.
bool is_cost_column(const std::string& name);

struct TraceRow {
  Index iteration = 0;
  std::vector<double> values;  // one per TraceSchema::metric_names()
};

struct RunResult {
  std::size_t method_index = 0;
  std::string method;  // label
  std::uint64_t seed = 0;
  std::string status = "ok";  // ok | diverged
  Index diverged_at = -1;     // iteration at which divergence was detected
  std::string divergence_reason;
  std::vector<TraceRow> trace;
  // The output point (docs/theory.md §2): its rule, iteration index and metrics.
  std::string output_rule;
  Index output_index = 0;
  std::vector<std::pair<std::string, double>> output_metrics;
  // The run's costs at its end (the trace's last cost columns, also when it ended between
  // evaluations). epochs is NaN for a problem without data.
  std::int64_t oracle_calls = 0;
  double epochs = 0.0;
  double uplink_bits = 0.0, downlink_bits = 0.0;
  double seconds = 0.0;
  // The trace as CSV lines "iteration,value,…" (runs/*.csv without its header): formatted once
  // by format_trace, in the worker thread, and reused for traces.csv. Empty until then.
  std::string trace_csv;
};

void format_trace(RunResult& run);

std::filesystem::path run_file_stem(const std::filesystem::path& dir, std::size_t method_index,
                                    std::uint64_t seed);
void save_run(const std::filesystem::path& dir, const TraceSchema& schema, const RunResult& run,
              const std::string& config_digest);
// Reads a run saved by save_run; returns false if absent or saved for another config. A damaged
// run file, or a trace whose checksum or row count differs from its run file, is an Error naming
// the file.
bool load_run(const std::filesystem::path& dir, const TraceSchema& schema, std::size_t method_index,
              std::uint64_t seed, const std::string& config_digest, RunResult& run);

// Shortest text that reads back as the same double ("nan", "inf" for non-finite values).
std::string format_number(double v);
// The same text written to a stream without a temporary string: out << Number{v}. (The big
// tables write hundreds of thousands of numbers.)
struct Number {
  double value;
};
std::ostream& operator<<(std::ostream& out, Number n);
// The same text appended to a string.
void append_number(std::string& out, double v);

// Appends one CSV line per trace row: PREFIX,iteration,value,value,... (PREFIX may be empty,
// then the line starts at the iteration).
void append_trace_rows(std::string& out, std::string_view prefix, const std::vector<TraceRow>& rows);
// The inverse of format_number; anything else is an Error naming `where` (e.g. "file:line").
double parse_number(std::string_view text, std::string_view where);

}  // namespace signopt::experiment
