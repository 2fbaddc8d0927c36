#pragma once
// Every run's trace values, per method and metric: what the plots and bands.csv are drawn from.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "signopt/experiment/run_result.hpp"

namespace signopt::experiment {

// For each method and metric, for each evaluated iteration (increasing), the values across seeds
// (in the order of the runs). All metrics of a method list the same iterations.
struct TraceTable {
  using Series = std::vector<std::pair<long long, std::vector<double>>>;
  std::vector<std::string> metrics;
  std::vector<std::string> methods;  // in order of first appearance
  std::map<std::string, std::map<std::string, Series>> data;

  // Adds one run's rows (iteration, one value per metric); `expected_runs`: the method's runs
  // in all, so that each iteration's values are allocated once.
  void add_run(const std::string& method, const std::vector<TraceRow>& rows,
               std::size_t expected_runs = 0);
  bool has_metric(const std::string& metric) const;
};

TraceTable trace_table(const std::vector<RunResult>& runs, const TraceSchema& schema);
// From DIR/traces.csv; throws Error naming file and line when it is missing or malformed.
TraceTable read_trace_table(const std::filesystem::path& traces_csv);

// Several studies in one table, to draw them in one figure: each method becomes
// "STUDY: method"; the metrics are those every study has (in the first study's order). Throws
// Error when two studies have the same name or share no metric.
TraceTable combine_studies(const std::vector<std::pair<std::string, TraceTable>>& studies);

}  // namespace signopt::experiment
