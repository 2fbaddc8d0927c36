#include "signopt/experiment/run_result.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "signopt/core/atomic_file.hpp"
#include "signopt/core/error.hpp"
#include "signopt/experiment/csv.hpp"
#include "signopt/experiment/input_hash.hpp"

namespace signopt::experiment {

std::vector<std::string> TraceSchema::metric_names() const {
  std::vector<std::string> names{"train_loss", "train_objective"};
  if (has_gap) names.emplace_back("train_gap");
  if (has_train_accuracy) names.emplace_back("train_accuracy");
  for (const char* n : {"grad_norm1", "grad_norm2", "grad_norm1_mean"}) names.emplace_back(n);
  if (has_test) {
    names.emplace_back("test_loss");
    names.emplace_back("test_accuracy");
  }
  names.emplace_back("oracle_calls");
  if (has_epochs) names.emplace_back("epochs");
  for (const char* n : {"uplink_bits", "downlink_bits", "seconds"}) names.emplace_back(n);
  return names;
}

bool is_cost_column(const std::string& name) {
  return name == "oracle_calls" || name == "epochs" || name == "uplink_bits" || name == "downlink_bits" ||
         name == "seconds";
}

namespace {

// format_number's text in buf; returns its length.
std::size_t number_text(double v, char (&buf)[64]) {
  const char* text = std::isnan(v) ? "nan" : std::isinf(v) ? (v > 0 ? "inf" : "-inf") : nullptr;
  if (text != nullptr) {
    const std::size_t n = std::strlen(text);
    std::memcpy(buf, text, n);
    return n;
  }
  const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
  return static_cast<std::size_t>(r.ptr - buf);
}

}  // namespace

std::string format_number(double v) {
  char buf[64];
  return std::string(buf, number_text(v, buf));
}

std::ostream& operator<<(std::ostream& out, Number n) {
  char buf[64];
  return out.write(buf, static_cast<std::streamsize>(number_text(n.value, buf)));
}

void append_number(std::string& out, double v) {
  char buf[64];
  out.append(buf, number_text(v, buf));
}

void append_trace_rows(std::string& out, std::string_view prefix, const std::vector<TraceRow>& rows) {
  char buf[64];
  for (const auto& row : rows) {
    out += prefix;
    const auto r = std::to_chars(buf, buf + sizeof buf, row.iteration);
    out.append(buf, r.ptr);
    for (double v : row.values) {
      out += ',';
      out.append(buf, number_text(v, buf));
    }
    out += '\n';
  }
}

void format_trace(RunResult& run) {
  run.trace_csv.clear();
  append_trace_rows(run.trace_csv, "", run.trace);
}

double parse_number(std::string_view text, std::string_view where) {
  const auto v = try_parse_number(text);
  require(v.has_value(), "{}: '{}' is not a number", where, text);
  return *v;
}

std::filesystem::path run_file_stem(const std::filesystem::path& dir, std::size_t method_index,
                                    std::uint64_t seed) {
  return dir / "runs" / fmt::format("m{:03d}-s{}", method_index, seed);
}

void save_run(const std::filesystem::path& dir, const TraceSchema& schema, const RunResult& run,
              const std::string& config_digest) {
  const auto stem = run_file_stem(dir, run.method_index, run.seed);
  const auto names = schema.metric_names();
  std::string csv = "iteration";
  for (const auto& n : names) csv += ',' + n;
  csv += '\n';
  if (run.trace_csv.empty()) {
    append_trace_rows(csv, "", run.trace);
  } else {
    csv += run.trace_csv;
  }
  write_file_atomically(stem.string() + ".csv", csv);
  nlohmann::json j;
  j["config_digest"] = config_digest;
  j["method_index"] = run.method_index;
  j["method"] = run.method;
  j["seed"] = run.seed;
  j["status"] = run.status;
  j["diverged_at"] = run.diverged_at;
  j["divergence_reason"] = run.divergence_reason;
  j["output_rule"] = run.output_rule;
  j["output_index"] = run.output_index;
  nlohmann::json om = nlohmann::json::array();
  for (const auto& [k, v] : run.output_metrics) om.push_back({k, format_number(v)});
  j["output_metrics"] = om;
  j["oracle_calls"] = run.oracle_calls;
  j["epochs"] = format_number(run.epochs);
  j["uplink_bits"] = format_number(run.uplink_bits);
  j["downlink_bits"] = format_number(run.downlink_bits);
  j["seconds"] = format_number(run.seconds);
  // --resume checks the trace file against these: a file changed or cut after it was written
  // (even at a line boundary) is an error, never a silently shorter trace.
  j["trace_rows"] = run.trace.size();
  j["trace_checksum"] = fmt::format("{:016x}", fnv1a(csv));
  // The .json is written last: its presence marks the run as complete.
  write_file_atomically(stem.string() + ".json", j.dump(2) + "\n");
}

namespace {

// A run file and its trace, checked against each other (checksum, row count).
bool parse_saved_run(const nlohmann::json& j, const std::string& csv, const TraceSchema& schema,
                     const std::string& json_file, const std::string& csv_file, RunResult& run) {
  const std::string checksum = fmt::format("{:016x}", fnv1a(csv));
  require(j.value("trace_checksum", "") == checksum,
          "{}: its checksum {} differs from the {} its run file {} recorded (changed or cut after it "
          "was written); delete both to run it again, or run without --resume",
          csv_file, checksum, j.value("trace_checksum", "(none)"), json_file);
  std::istringstream cin(csv);
  run = RunResult{};
  run.method_index = j.at("method_index").get<std::size_t>();
  run.method = j.at("method").get<std::string>();
  run.seed = j.at("seed").get<std::uint64_t>();
  run.status = j.at("status").get<std::string>();
  run.diverged_at = j.at("diverged_at").get<Index>();
  run.divergence_reason = j.at("divergence_reason").get<std::string>();
  run.output_rule = j.at("output_rule").get<std::string>();
  run.output_index = j.at("output_index").get<Index>();
  for (const auto& item : j.at("output_metrics")) {
    run.output_metrics.emplace_back(item.at(0).get<std::string>(), parse_number(item.at(1).get<std::string>(), json_file));
  }
  run.oracle_calls = j.at("oracle_calls").get<std::int64_t>();
  run.epochs = parse_number(j.at("epochs").get<std::string>(), json_file);
  run.uplink_bits = parse_number(j.at("uplink_bits").get<std::string>(), json_file);
  run.downlink_bits = parse_number(j.at("downlink_bits").get<std::string>(), json_file);
  run.seconds = parse_number(j.at("seconds").get<std::string>(), json_file);
  std::string line;
  std::getline(cin, line);  // header
  const std::size_t columns = schema.metric_names().size();
  const std::string& where = csv_file;
  while (std::getline(cin, line)) {
    if (line.empty()) continue;
    const auto cells = split_csv(line);
    TraceRow row;
    row.iteration = static_cast<Index>(parse_number(cells.front(), where));
    for (std::size_t c = 1; c < cells.size(); ++c) row.values.push_back(parse_number(cells[c], where));
    require(row.values.size() == columns, "{}: a row has {} values, the trace has {} columns", where,
            row.values.size(), columns);
    run.trace.push_back(std::move(row));
    run.trace_csv.append(line).push_back('\n');
  }
  const auto rows = j.at("trace_rows").get<std::size_t>();
  require(run.trace.size() == rows, "{}: {} rows, its run file {} recorded {}", where, run.trace.size(), json_file,
          rows);
  return true;
}

}  // namespace

bool load_run(const std::filesystem::path& dir, const TraceSchema& schema, std::size_t method_index,
              std::uint64_t seed, const std::string& config_digest, RunResult& run) {
  const auto stem = run_file_stem(dir, method_index, seed);
  const std::string json_file = stem.string() + ".json";
  std::ifstream jin(json_file);
  if (!jin) return false;
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(jin);
  } catch (const std::exception& e) {
    fail("{}: damaged run file ({}); delete it to run it again, or run without --resume", json_file, e.what());
  }
  require(j.is_object() && j.contains("config_digest") && j["config_digest"].is_string(),
          "{}: damaged run file (no config_digest); delete it to run it again, or run without --resume",
          json_file);
  if (j["config_digest"].get<std::string>() != config_digest) return false;  // another study's run
  const std::string csv_file = stem.string() + ".csv";
  std::string csv;
  {
    std::ifstream in(csv_file, std::ios::binary);
    require(static_cast<bool>(in), "{}: missing (its run file {} exists); delete both to run it again",
            csv_file, json_file);
    std::ostringstream text;
    text << in.rdbuf();
    csv = text.str();
  }
  try {
    return parse_saved_run(j, csv, schema, json_file, csv_file, run);
  } catch (const nlohmann::json::exception& e) {
    fail("{}: damaged run file ({}); delete it to run it again, or run without --resume", json_file, e.what());
  }
}

}  // namespace signopt::experiment
