#include "signopt/experiment/plots.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "signopt/core/atomic_file.hpp"
#include "signopt/core/error.hpp"
#include "signopt/core/statistics.hpp"
#include "signopt/experiment/csv.hpp"
#include "signopt/experiment/run_result.hpp"

namespace signopt::experiment {
namespace {

bool log_scale(const std::string& metric) {
  return metric == "train_loss" || metric == "train_objective" || metric == "train_gap" ||
         metric == "test_loss" || metric.rfind("grad_norm", 0) == 0;
}

// The y-axis label in gnuplot's enhanced syntax (x^k a superscript, _1 a subscript); a metric
// without a label of its own shows its name as plain text.
std::string axis_label(const std::string& metric) {
  static const std::map<std::string, std::string> labels{
      {"train_loss", "training data loss (1/n) Σ ℓ_i(x^k)"},
      {"train_objective", "training objective f(x^k)"},
      {"train_gap", "suboptimality f(x^k) − f^*"},
      {"train_accuracy", "training accuracy"},
      {"test_loss", "test loss"},
      {"test_accuracy", "test accuracy"},
      {"grad_norm1", "||∇f(x^k)||_1"},
      {"grad_norm2", "||∇f(x^k)||_2"},
      {"grad_norm1_mean", "(1/k) Σ_{i≤k} ||∇f(x^i)||_1"}};
  const auto it = labels.find(metric);
  return it == labels.end() ? gnuplot_text(metric) : it->second;
}

}  // namespace

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
  require(header.size() > 3 && header[0] == "method" && header[1] == "seed" && header[2] == "iteration",
          "{}:1: expected the header method,seed,iteration,...", file.string());
  TraceTable t;
  t.metrics.assign(header.begin() + 3, header.end());
  std::size_t n = 1;
  auto number = [&](std::string_view cell) {
    const auto v = try_parse_number(cell);
    require(v.has_value(), "{}:{}: '{}' is not a number", file.string(), n, cell);
    return *v;
  };
  // Rows come run by run (method, seed); each run's rows go in at once.
  std::string method, seed;
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
    if (cells[0] != method || cells[1] != seed) {
      flush();
      method = cells[0];
      seed = cells[1];
    }
    TraceRow row;
    row.iteration = static_cast<Index>(number(cells[2]));
    require(rows.empty() || row.iteration > rows.back().iteration,
            "{}:{}: iterations of a run must increase", file.string(), n);
    for (std::size_t c = 3; c < cells.size(); ++c) row.values.push_back(number(cells[c]));
    rows.push_back(std::move(row));
  }
  flush();
  require(!t.methods.empty(), "{}: no trace rows", file.string());
  return t;
}

void write_bands(const std::filesystem::path& dir, const TraceTable& traces, const PlotStyle& style) {
  const double band_low = style.band_low, band_high = style.band_high, delta = style.delta;
  std::string out = "method,metric,iteration,seeds,mean,median,lower,upper,q_hp\n";
  std::vector<double> v;
  for (const auto& method : traces.methods) {
    for (const auto& metric : traces.metrics) {
      const double hp = metric.find("accuracy") != std::string::npos ? delta : 1.0 - delta;
      const std::string prefix = method + ',' + metric + ',';
      for (const auto& [it, values] : traces.data.at(method).at(metric)) {
        v.clear();
        for (double x : values) {
          if (std::isfinite(x)) v.push_back(x);
        }
        if (v.empty()) continue;
        std::sort(v.begin(), v.end());
        out += prefix;
        out += std::to_string(it);
        out += ',';
        out += std::to_string(v.size());
        for (double x : {mean(v), quantile_sorted(v, 0.5), quantile_sorted(v, band_low),
                         quantile_sorted(v, band_high), quantile_sorted(v, hp)}) {
          out += ',';
          append_number(out, x);
        }
        out += '\n';
      }
    }
  }
  write_file_atomically(dir / "bands.csv", out);
}

namespace {

struct AxisInfo {
  XAxis axis;
  const char* name;    // on the command line
  const char* column;  // in traces.csv (empty: the iteration)
  const char* label;   // gnuplot's x label
  bool log;
};

constexpr AxisInfo kAxes[] = {
    {XAxis::Iterations, "iterations", "", "iteration k", false},
    {XAxis::OracleCalls, "oracle-calls", "oracle_calls", "oracle calls N = Σ_k B_k (all workers)", true},
    {XAxis::Epochs, "epochs", "epochs", "epochs (per-sample gradients / n, all workers)", false},
    {XAxis::Bits, "bits", "uplink_bits", "uplink bits sent per worker", true},
    {XAxis::Seconds, "seconds", "seconds", "the run's own compute seconds", false},
};

const AxisInfo& info(XAxis axis) {
  for (const auto& a : kAxes) {
    if (a.axis == axis) return a;
  }
  fail("unknown plot axis");
}

bool communicates(const TraceTable& traces) {
  const auto& m = traces.metrics;
  if (std::find(m.begin(), m.end(), "uplink_bits") == m.end()) return false;
  for (const auto& method : traces.methods) {
    for (const auto& [it, values] : traces.data.at(method).at("uplink_bits")) {
      for (double b : values) {
        if (b > 0) return true;
      }
    }
  }
  return false;
}

}  // namespace

XAxis x_axis_from_string(const std::string& name) {
  for (const auto& a : kAxes) {
    if (name == a.name) return a.axis;
  }
  std::string valid;
  for (const auto& n : x_axis_names()) valid += (valid.empty() ? "" : ", ") + n;
  fail("unknown plot x axis '{}' (valid: {})", name, valid);
}

std::string to_string(XAxis axis) { return info(axis).name; }

std::vector<std::string> x_axis_names() {
  std::vector<std::string> out;
  for (const auto& a : kAxes) out.emplace_back(a.name);
  return out;
}

void check_x_axes(const TraceTable& traces, const std::vector<XAxis>& axes) {
  for (XAxis axis : axes) {
    const AxisInfo& a = info(axis);
    if (axis == XAxis::Iterations) continue;
    if (std::find(traces.metrics.begin(), traces.metrics.end(), a.column) == traces.metrics.end()) {
      fail("--x {}: the traces have no {} column{}", a.name, a.column,
           axis == XAxis::Epochs ? " (epochs need a problem with data: n samples)" : "");
    }
    if (axis == XAxis::Bits && !communicates(traces)) {
      fail("--x bits: no method of this study communicates (uplink_bits is 0 in every run): nothing to draw");
    }
  }
}

void add_plots(GnuplotRender& render, const TraceTable& traces, const PlotStyle& style) {
  namespace fs = std::filesystem;
  check_x_axes(traces, style.x_axes);
  const double band_low = style.band_low, band_high = style.band_high;
  const std::string& title = style.title;
  const fs::path& plot_dir = render.dir();
  const std::vector<std::string> wanted{"train_gap", "train_objective", "train_loss", "train_accuracy",
                                        "test_loss", "test_accuracy", "grad_norm1", "grad_norm2",
                                        "grad_norm1_mean"};
  auto has_metric = [&](const std::string& metric) {
    return std::find(traces.metrics.begin(), traces.metrics.end(), metric) != traces.metrics.end();
  };
  // Against iterations, distributed runs also get a few metrics against the bits each worker
  // has sent; any other axis draws every metric.
  const bool bits_too = communicates(traces);
  std::vector<std::pair<std::string, XAxis>> drawn;
  for (XAxis axis : style.x_axes) {
    for (const auto& metric : wanted) {
      if (!has_metric(metric)) continue;
      if (std::find(drawn.begin(), drawn.end(), std::pair{metric, axis}) == drawn.end()) drawn.emplace_back(metric, axis);
      if (axis == XAxis::Iterations && bits_too &&
          (metric == "train_loss" || metric == "grad_norm1" || metric == "test_accuracy") &&
          std::find(drawn.begin(), drawn.end(), std::pair{metric, XAxis::Bits}) == drawn.end()) {
        drawn.emplace_back(metric, XAxis::Bits);
      }
    }
  }
  for (const auto& [metric, axis] : drawn) {
    const AxisInfo& a = info(axis);
    const bool by_iteration = axis == XAxis::Iterations;
    const std::string stem = by_iteration ? metric : metric + "_vs_" + (axis == XAxis::Bits ? "bits" : a.column);
    const fs::path data = plot_dir / (stem + ".dat");
    write_file_atomically(data, [&](std::ostream& out) {
      out << "# " << (by_iteration ? "iteration" : a.column)
          << " mean lower upper, one block per method (gnuplot index)\n";
      for (const auto& method : traces.methods) {
        out << "# " << method << '\n';
        const auto& xs = traces.data.at(method).at(by_iteration ? metric : a.column);
        const auto& series = traces.data.at(method).at(metric);
        for (std::size_t i = 0; i < series.size(); ++i) {
          const auto& [it, values] = series[i];
          std::vector<double> v;
          for (double x : values) {
            if (std::isfinite(x) && (!log_scale(metric) || x > 0)) v.push_back(x);
          }
          if (v.empty()) continue;
          std::sort(v.begin(), v.end());
          if (by_iteration) {
            out << it;
          } else {
            const double x = mean(xs[i].second);  // the same iterations as the metric's
            if (!std::isfinite(x) || (a.log && !(x > 0))) continue;  // the start has no place on a log axis
            out << Number{x};
          }
          out << ' ' << Number{mean(v)} << ' ' << Number{quantile_sorted(v, band_low)}
              << ' ' << Number{quantile_sorted(v, band_high)} << '\n';
        }
        out << "\n\n";
      }
    });
    std::ostringstream setup;
    setup << "set datafile missing 'nan'\n"
          << "set key outside right top box opaque width 1\n"
          << "set grid lc rgb '#dddddd'\n"
          << "set xlabel \"" << a.label << (by_iteration ? "" : " (mean over seeds)") << "\"\n";
    if (a.log) setup << "set logscale x\nset format x '10^{%T}'\n";
    setup << "set ylabel \"" << axis_label(metric) << "\"\n"
          << "set title \"" << gnuplot_text(title)
          << fmt::format(": mean and {:g}–{:g} quantile band", band_low, band_high) << "\"\n";
    if (log_scale(metric)) setup << "set logscale y\nset format y '10^{%T}'\n";
    setup << "set style fill transparent solid 0.18 noborder\n";
    std::ostringstream plot;
    plot << "plot ";
    for (std::size_t i = 0; i < traces.methods.size(); ++i) {
      plot << fmt::format("'{}' index {} using 1:3:4 with filledcurves lc {} notitle, ", data.filename().string(), i, i + 1);
    }
    for (std::size_t i = 0; i < traces.methods.size(); ++i) {
      plot << fmt::format("'{}' index {} using 1:2 with lines lw 2 lc {} title \"{}\"", data.filename().string(), i,
                          i + 1, gnuplot_text(traces.methods[i]))
           << (i + 1 < traces.methods.size() ? ", " : "\n");
    }
    render.add({stem, setup.str(), plot.str()});
  }
}

std::vector<std::filesystem::path> render_plots(const std::filesystem::path& dir, const std::vector<XAxis>& x_axes) {
  const TraceTable traces = read_trace_table(dir / "traces.csv");
  PlotStyle style;
  style.x_axes = x_axes;
  check_x_axes(traces, style.x_axes);  // before anything is written
  style.title = dir.filename().string();
  std::ifstream in(dir / "manifest.json");
  if (in) {
    try {
      const auto m = nlohmann::json::parse(in);
      style.band_low = m.at("band").at(0).get<double>();
      style.band_high = m.at("band").at(1).get<double>();
      style.delta = m.value("delta", style.delta);
      style.title = m.value("name", style.title);
    } catch (const std::exception& e) {
      fail("{}: malformed manifest: {}", (dir / "manifest.json").string(), e.what());
    }
  }
  GnuplotRender render(dir / "plots");
  add_plots(render, traces, style);
  write_bands(dir, traces, style);  // while gnuplot renders
  return render.wait();
}

}  // namespace signopt::experiment
