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

namespace signopt::experiment {
namespace {

bool log_scale(const std::string& metric) {
  return metric == "train_loss" || metric == "train_objective" || metric == "train_gap" ||
         metric == "test_loss" || metric == "minibatch_loss" || metric.rfind("grad_norm", 0) == 0;
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
      {"grad_norm1_mean", "(1/k) Σ_{i≤k} ||∇f(x^i)||_1"},
      {"minibatch_loss", "loss of the step's minibatch (1/|S_k|) Σ_{i∈S_k} ℓ_i(x^k)"}};
  const auto it = labels.find(metric);
  return it == labels.end() ? gnuplot_text(metric) : it->second;
}

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

// The figures drawn when no metric is named, in this order (those the study has).
const std::vector<std::string>& default_metrics() {
  static const std::vector<std::string> m{"train_gap", "train_objective", "train_loss", "train_accuracy",
                                          "test_loss", "test_accuracy", "grad_norm1", "grad_norm2",
                                          "grad_norm1_mean"};
  return m;
}

bool communicates(const TraceTable& traces) {
  if (!traces.has_metric("uplink_bits")) return false;
  for (const auto& method : traces.methods) {
    for (const auto& [it, values] : traces.data.at(method).at("uplink_bits")) {
      for (double b : values) {
        if (b > 0) return true;
      }
    }
  }
  return false;
}

std::string listing(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Ten colours that stay apart, then the same colours dashed, dotted, …: 40 methods before a
// line style repeats.
constexpr const char* kColours[] = {"#1f5fa8", "#d9541e", "#2a9d3c", "#c0273d", "#7b4fb0",
                                    "#8c5a2b", "#d46aa8", "#5c5c5c", "#a6a00f", "#15a3b8"};

// A y range that fits the drawn values (gnuplot's log autoscale widens to whole decades, which
// squeezed close curves into a thin strip): the data's span plus 4 % on each side (in log
// space on a log axis).
std::string y_range(double lo, double hi, bool log) {
  if (!(lo <= hi)) return "";
  if (log) {
    const double a = std::log10(lo), b = std::log10(hi);
    const double pad = b > a ? 0.04 * (b - a) : 0.05;
    return fmt::format("set yrange [{:.17g}:{:.17g}]\n", std::pow(10.0, a - pad), std::pow(10.0, b + pad));
  }
  const double pad = hi > lo ? 0.04 * (hi - lo) : std::max(std::abs(hi) * 0.05, 1e-12);
  return fmt::format("set yrange [{:.17g}:{:.17g}]\n", lo - pad, hi + pad);
}

// About five ticks at round values (1, 2 or 5 × 10^e apart) between lo and hi: on a log axis
// spanning less than two decades gnuplot would label only the powers of ten, often none.
std::string plain_ticks(double lo, double hi) {
  if (!(lo < hi) || !std::isfinite(lo) || !std::isfinite(hi)) return "";
  const double raw = (hi - lo) / 5.0;
  const double e = std::pow(10.0, std::floor(std::log10(raw)));
  const double step = raw / e < 1.5 ? e : raw / e < 3.5 ? 2 * e : raw / e < 7.5 ? 5 * e : 10 * e;
  std::string out = "set ytics (";
  bool first = true;
  for (double t = std::ceil(lo / step) * step; t <= hi + 1e-9 * step; t += step) {
    if (t <= 0) continue;
    out += fmt::format("{}{:.6g}", first ? "" : ", ", t);
    first = false;
  }
  return first ? "" : out + ")\n";
}

}  // namespace

std::string plot_colour(std::size_t i) { return kColours[i % 10]; }

std::string plot_line_style(std::size_t i) {
  return fmt::format("lc rgb '{}' dt {}", kColours[i % 10], (i / 10) % 4 + 1);
}

XAxis x_axis_from_string(const std::string& name) {
  for (const auto& a : kAxes) {
    if (name == a.name) return a.axis;
  }
  fail("unknown plot x axis '{}' (valid: {})", name, listing(x_axis_names()));
}

std::string to_string(XAxis axis) { return info(axis).name; }

std::vector<std::string> x_axis_names() {
  std::vector<std::string> out;
  for (const auto& a : kAxes) out.emplace_back(a.name);
  return out;
}

void check_plot_request(const TraceTable& traces, const PlotStyle& style) {
  for (XAxis axis : style.x_axes) {
    const AxisInfo& a = info(axis);
    if (axis == XAxis::Iterations) continue;
    if (!traces.has_metric(a.column)) {
      fail("--x {}: the traces have no {} column{}", a.name, a.column,
           axis == XAxis::Epochs ? " (epochs need a problem with data: n samples)" : "");
    }
    if (axis == XAxis::Bits && !communicates(traces)) {
      fail("--x bits: no method of this study communicates (uplink_bits is 0 in every run): nothing to draw");
    }
  }
  for (const auto& m : style.metrics) {
    if (!traces.has_metric(m)) fail("--metric {}: not in the traces (they have: {})", m, listing(traces.metrics));
  }
  for (const auto& m : style.methods) {
    if (std::find(traces.methods.begin(), traces.methods.end(), m) == traces.methods.end()) {
      fail("--methods: no method '{}' in the traces (they have: {})", m, listing(traces.methods));
    }
  }
  require(style.band_low >= 0 && style.band_low < style.band_high && style.band_high <= 1,
          "the band's quantiles must satisfy 0 ≤ low < high ≤ 1, got {} and {}", style.band_low, style.band_high);
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

void add_plots(GnuplotRender& render, const TraceTable& traces, const PlotStyle& style) {
  namespace fs = std::filesystem;
  check_plot_request(traces, style);
  const double band_low = style.band_low, band_high = style.band_high;
  const std::vector<std::string>& methods = style.methods.empty() ? traces.methods : style.methods;
  std::vector<std::string> metrics = style.metrics;
  if (metrics.empty()) {
    for (const auto& m : default_metrics()) {
      if (traces.has_metric(m)) metrics.push_back(m);
    }
  }
  // Against iterations, distributed runs also get a few metrics against the bits each worker
  // has sent (unless metrics were named); any other axis draws every metric.
  const bool bits_too = style.metrics.empty() && communicates(traces);
  std::vector<std::pair<std::string, XAxis>> drawn;
  auto draw = [&](const std::string& metric, XAxis axis) {
    if (std::find(drawn.begin(), drawn.end(), std::pair{metric, axis}) == drawn.end()) drawn.emplace_back(metric, axis);
  };
  for (XAxis axis : style.x_axes) {
    for (const auto& metric : metrics) {
      draw(metric, axis);
      if (axis == XAxis::Iterations && bits_too &&
          (metric == "train_loss" || metric == "grad_norm1" || metric == "test_accuracy")) {
        draw(metric, XAxis::Bits);
      }
    }
  }
  const char* center_name = style.center == Center::Mean ? "mean" : "median";
  for (const auto& [metric, axis] : drawn) {
    const AxisInfo& a = info(axis);
    const bool log_y = style.log_y.value_or(log_scale(metric));
    const bool by_iteration = axis == XAxis::Iterations;
    const std::string stem = by_iteration ? metric : metric + "_vs_" + (axis == XAxis::Bits ? "bits" : a.column);
    const fs::path data = render.dir() / (stem + ".dat");
    double y_lo = INFINITY, y_hi = -INFINITY;
    // Methods with no point on this axis (a single-process method against bits, a metric that
    // is NaN throughout) get no data block: gnuplot's `index` counts blocks, so an empty one
    // would shift every later method onto the wrong label. The figure names them instead.
    std::vector<std::size_t> shown;
    std::vector<std::string> not_shown;
    write_file_atomically(data, [&](std::ostream& out) {
      out << "# " << (by_iteration ? "iteration" : a.column) << ' ' << center_name
          << " lower upper, one block per drawn method (gnuplot index)\n";
      std::ostringstream block;
      std::vector<double> v;
      for (std::size_t mi = 0; mi < methods.size(); ++mi) {
        const std::string& method = methods[mi];
        block.str("");
        const auto& xs = traces.data.at(method).at(by_iteration ? metric : a.column);
        const auto& series = traces.data.at(method).at(metric);
        bool any = false;
        for (std::size_t i = 0; i < series.size(); ++i) {
          const auto& [it, values] = series[i];
          v.clear();
          for (double x : values) {
            if (std::isfinite(x) && (!log_y || x > 0)) v.push_back(x);
          }
          if (v.empty()) continue;
          std::sort(v.begin(), v.end());
          if (by_iteration) {
            block << it;
          } else {
            const double x = mean(xs[i].second);  // the same iterations as the metric's
            if (!std::isfinite(x) || (a.log && !(x > 0))) continue;  // the start has no place on a log axis
            block << Number{x};
          }
          const double c = style.center == Center::Mean ? mean(v) : quantile_sorted(v, 0.5);
          const double lo = quantile_sorted(v, band_low), hi = quantile_sorted(v, band_high);
          y_lo = std::min({y_lo, c, lo});
          y_hi = std::max({y_hi, c, hi});
          block << ' ' << Number{c} << ' ' << Number{lo} << ' ' << Number{hi} << '\n';
          any = true;
        }
        if (!any) {
          not_shown.push_back(method);
          continue;
        }
        shown.push_back(mi);
        out << "# " << method << '\n' << block.str() << "\n\n";
      }
    });
    // Legends stay readable at any method count: a smaller font past 10 methods, and columns of
    // at most 18 entries, the figure widened for each extra column.
    const std::size_t n = shown.size();
    const std::size_t columns = (n + 17) / 18;
    std::ostringstream setup;
    setup << "set datafile missing 'nan'\n"
          << "set key outside right top box opaque width 1 maxrows 18" << (n > 10 ? " font ',9'" : "") << "\n"
          << "set grid lc rgb '#dddddd'\n"
          << "set xlabel \"" << a.label << (by_iteration ? "" : " (mean over seeds)") << "\"\n";
    if (a.log) setup << "set logscale x\nset format x '10^{%T}'\n";
    setup << "set ylabel \"" << axis_label(metric) << "\"\n"
          << "set title \"" << gnuplot_text(style.title)
          << fmt::format(": {} and {:g}–{:g} quantile band over seeds", center_name, band_low, band_high) << "\"\n";
    if (log_y) {
      // Decade labels only when the range spans decades; within one or two, gnuplot's own
      // ticks with plain numbers (a 10^{%T} format would label none of them).
      const bool decades = y_lo > 0 && y_hi / y_lo > 100.0;
      setup << "set logscale y\n" << (decades ? "set format y '10^{%T}'\n" : "set format y '%g'\n");
      if (!decades) setup << plain_ticks(y_lo, y_hi);
    }
    setup << y_range(y_lo, y_hi, log_y);
    if (!not_shown.empty()) {
      setup << "set label 1 \"not drawn (no point on this axis): " << gnuplot_text(listing(not_shown))
            << "\" at graph 0, graph -0.16 font ',9'\nset bmargin 6\n";
    }
    setup << "set style fill transparent solid 0.15 noborder\n";
    std::ostringstream plot;
    if (n == 0) {
      // Nothing to draw (every method lacks points on this axis): an empty frame that says so.
      plot << "set xrange [0:1]\nset yrange [0:1]\nunset logscale\nplot NaN notitle\n";
    } else {
      plot << "plot ";
      for (std::size_t b = 0; b < n; ++b) {
        plot << fmt::format("'{}' index {} using 1:3:4 with filledcurves lc rgb '{}' notitle, ", data.filename().string(),
                            b, kColours[shown[b] % 10]);
      }
      for (std::size_t b = 0; b < n; ++b) {
        plot << fmt::format("'{}' index {} using 1:2 with lines lw 2 {} title \"{}\"", data.filename().string(), b,
                            plot_line_style(shown[b]), gnuplot_text(methods[shown[b]]))
             << (b + 1 < n ? ", " : "\n");
      }
    }
    GnuplotFigure figure;
    figure.stem = stem;
    figure.setup = setup.str();
    figure.plot = plot.str();
    figure.width += static_cast<int>(columns > 1 ? (columns - 1) * 260 : 0);
    render.add(figure);
  }
}

namespace {

struct Study {
  std::string name;
  std::string dir_name;  // the directory's own name
  TraceTable table;
  PlotStyle manifest_style;  // band, δ and title from its manifest
};

Study read_study(const std::filesystem::path& dir) {
  Study s;
  s.table = read_trace_table(dir / "traces.csv");
  s.name = std::filesystem::absolute(dir).lexically_normal().filename().string();
  if (s.name.empty()) s.name = std::filesystem::absolute(dir).lexically_normal().parent_path().filename().string();
  s.dir_name = s.name;
  s.manifest_style.title = s.name;
  std::ifstream in(dir / "manifest.json");
  if (in) {
    try {
      const auto m = nlohmann::json::parse(in);
      s.manifest_style.band_low = m.at("band").at(0).get<double>();
      s.manifest_style.band_high = m.at("band").at(1).get<double>();
      s.manifest_style.delta = m.value("delta", s.manifest_style.delta);
      if (const std::string name = m.value("name", ""); !name.empty()) s.name = name;
      s.manifest_style.title = s.name;
    } catch (const std::exception& e) {
      fail("{}: malformed manifest: {}", (dir / "manifest.json").string(), e.what());
    }
  }
  return s;
}

}  // namespace

std::vector<std::filesystem::path> render_plots(const PlotRequest& request) {
  require(!request.dirs.empty(), "no output directory to plot");
  std::vector<Study> studies;
  for (const auto& dir : request.dirs) studies.push_back(read_study(dir));
  PlotStyle style = request.style;
  if (!request.band_given) {
    style.band_low = studies.front().manifest_style.band_low;
    style.band_high = studies.front().manifest_style.band_high;
  }
  style.delta = studies.front().manifest_style.delta;
  if (studies.size() == 1) {
    const auto& dir = request.dirs.front();
    if (style.title.empty()) style.title = studies.front().manifest_style.title;
    // The per-step minibatch loss lives in steps.csv: drawn by default when there, or when named.
    const auto named = std::find(style.metrics.begin(), style.metrics.end(), "minibatch_loss");
    const bool steps_named = named != style.metrics.end();
    if (steps_named) style.metrics.erase(named);
    const bool main_plots = !steps_named || !style.metrics.empty();
    std::optional<TraceTable> steps;
    if (steps_named || (style.metrics.empty() && std::filesystem::exists(dir / "steps.csv"))) {
      require(std::filesystem::exists(dir / "steps.csv"), "--metric minibatch_loss: {} has no steps.csv",
              dir.string());
      steps = read_trace_table(dir / "steps.csv");
    }
    if (main_plots) check_plot_request(studies.front().table, style);  // before anything is written
    GnuplotRender render(dir / "plots");
    if (main_plots) add_plots(render, studies.front().table, style);
    if (steps) {
      PlotStyle step_style = style;
      step_style.metrics = {"minibatch_loss"};
      step_style.x_axes = {XAxis::Iterations};
      add_plots(render, *steps, step_style);
    }
    write_bands(dir, studies.front().table, style);  // while gnuplot renders
    return render.wait();
  }
  require(!request.out.empty(), "several directories are drawn into one set of figures: name where with --out DIR");
  // Studies are labelled by their names, or by their directories' when names repeat (two runs
  // of one config).
  bool repeated = false;
  for (std::size_t i = 0; i < studies.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) repeated = repeated || studies[i].name == studies[j].name;
  }
  if (repeated) {
    for (auto& s : studies) s.name = s.dir_name;
  }
  std::vector<std::pair<std::string, TraceTable>> tables;
  std::string names;
  for (auto& s : studies) {
    names += (names.empty() ? "" : " vs ") + s.name;
    tables.emplace_back(s.name, std::move(s.table));
  }
  if (style.title.empty()) style.title = names;
  const TraceTable combined = combine_studies(tables);
  check_plot_request(combined, style);
  GnuplotRender render(request.out);
  add_plots(render, combined, style);
  write_bands(request.out, combined, style);
  return render.wait();
}

}  // namespace signopt::experiment
