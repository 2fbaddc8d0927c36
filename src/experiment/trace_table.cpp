#include "signopt/experiment/trace_table.hpp"

#include <algorithm>
#include <fstream>

#include "signopt/core/atomic_file.hpp"
#include "signopt/core/error.hpp"
#include "signopt/experiment/csv.hpp"

namespace signopt::experiment {

void TraceTable::add_run(const std::string& method, const std::vector<TraceRow>& rows,
                         std::size_t expected_runs) {
  if (std::find(methods.begin(), methods.end(), method) == methods.end()) methods.push_back(method);
  auto& per_metric = data[method];
  std::vector<Series*> series;
  for (const auto& metric : metrics) series.push_back(&per_metric[metric]);
  // Rows and series are both in increasing iteration order: walk them together, inserting an
  // iteration the earlier runs did not have (runs of a method normally share one schedule).
  std::size_t p = 0;
  for (const auto& row : rows) {
    Series& first = *series.front();
    while (p < first.size() && first[p].first < row.iteration) ++p;
    if (p == first.size() || first[p].first != row.iteration) {
      for (Series* s : series) {
        auto at = s->insert(s->begin() + static_cast<std::ptrdiff_t>(p), {row.iteration, {}});
        at->second.reserve(expected_runs);
      }
    }
    for (std::size_t c = 0; c < series.size(); ++c) (*series[c])[p].second.push_back(row.values[c]);
  }
}

TraceTable trace_table(const std::vector<RunResult>& runs, const TraceSchema& schema) {
  TraceTable t;
  t.metrics = schema.metric_names();
  std::map<std::string, std::size_t> runs_of;  // per method: room for every seed's value at once
  for (const auto& r : runs) ++runs_of[r.method];
  for (const auto& r : runs) t.add_run(r.method, r.trace, runs_of[r.method]);
  return t;
}

TraceTable read_trace_table(const std::filesystem::path& file) {
  std::ifstream in(file);
  require(static_cast<bool>(in), "{}: not found (is this an experiment output directory?)", file.string());
  std::string line;
  require(static_cast<bool>(std::getline(in, line)), "{}: empty file", file.string());
  const auto header = split_csv(line);
  // A sweep's swept parameters sit between method and seed (parameter_grid.hpp).
  const auto seed = static_cast<std::size_t>(std::find(header.begin(), header.end(), "seed") - header.begin());
  require(header.size() > seed + 2 && header[0] == "method" && header[seed + 1] == "iteration",
          "{}:1: expected the header method,[swept parameters,]seed,iteration,...", file.string());
  TraceTable t;
  t.metrics.assign(header.begin() + static_cast<std::ptrdiff_t>(seed) + 2, header.end());
  std::size_t n = 1;
  auto number = [&](std::string_view cell) {
    const auto v = try_parse_number(cell);
    require(v.has_value(), "{}:{}: '{}' is not a number", file.string(), n, cell);
    return *v;
  };
  // Rows come run by run (method, seed); each run's rows go in at once.
  std::string method, run_seed;
  std::vector<TraceRow> rows;
  auto flush = [&] {
    if (!rows.empty()) t.add_run(method, rows);
    rows.clear();
  };
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    const auto cells = split_csv(line);
    require(cells.size() == header.size(), "{}:{}: expected {} columns, found {}", file.string(), n,
            header.size(), cells.size());
    if (cells[0] != method || cells[seed] != run_seed) {
      flush();
      method = cells[0];
      run_seed = cells[seed];
    }
    TraceRow row;
    row.iteration = static_cast<Index>(number(cells[seed + 1]));
    require(rows.empty() || row.iteration > rows.back().iteration,
            "{}:{}: iterations of a run must increase", file.string(), n);
    for (std::size_t c = seed + 2; c < cells.size(); ++c) row.values.push_back(number(cells[c]));
    rows.push_back(std::move(row));
  }
  flush();
  require(!t.methods.empty(), "{}: no trace rows", file.string());
  return t;
}

TraceTable step_loss_table(const std::vector<RunResult>& runs) {
  TraceTable t;
  t.metrics = {"minibatch_loss"};
  std::vector<TraceRow> rows;
  for (const auto& r : runs) {
    if (r.step_losses.empty()) continue;
    rows.clear();
    for (const auto& [k, loss] : r.step_losses) rows.push_back({k, {loss}});
    t.add_run(r.method, rows);
  }
  return t;
}

void write_step_losses(const std::filesystem::path& file, const std::vector<RunResult>& runs) {
  write_file_atomically(file, [&](std::ostream& out) {
    out << "method,seed,iteration,minibatch_loss\n";
    for (const auto& r : runs) {
      for (const auto& [k, loss] : r.step_losses) out << r.method << ',' << r.seed << ',' << k << ',' << Number{loss} << '\n';
    }
  });
}

bool TraceTable::has_metric(const std::string& metric) const {
  return std::find(metrics.begin(), metrics.end(), metric) != metrics.end();
}

TraceTable combine_studies(const std::vector<std::pair<std::string, TraceTable>>& studies) {
  require(!studies.empty(), "no study to combine");
  TraceTable out;
  for (const auto& m : studies.front().second.metrics) {
    if (std::all_of(studies.begin(), studies.end(), [&](const auto& s) { return s.second.has_metric(m); })) {
      out.metrics.push_back(m);
    }
  }
  require(!out.metrics.empty(), "the studies share no trace column: nothing to draw in one figure");
  for (std::size_t i = 0; i < studies.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      require(studies[i].first != studies[j].first,
              "two studies are both named '{}': their curves could not be told apart", studies[i].first);
    }
  }
  for (const auto& [study, table] : studies) {
    for (const auto& method : table.methods) {
      const std::string name = study + ": " + method;
      out.methods.push_back(name);
      for (const auto& m : out.metrics) out.data[name][m] = table.data.at(method).at(m);
    }
  }
  return out;
}

}  // namespace signopt::experiment
