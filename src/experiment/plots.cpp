#include "signopt/experiment/plots.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "signopt/core/atomic_file.hpp"
#include "signopt/core/error.hpp"
#include "signopt/core/statistics.hpp"
#include "signopt/experiment/run_result.hpp"

namespace signopt::experiment {
namespace {

struct Series {
  // iteration → values across seeds
  std::map<long long, std::vector<double>> at;
};

struct Traces {
  std::vector<std::string> metrics;
  std::vector<std::string> methods;  // in order of first appearance
  std::map<std::string, std::map<std::string, Series>> data;  // method → metric → series
};

double to_double(const std::string& s, const std::filesystem::path& file, std::size_t line) {
  return parse_number(s, fmt::format("{}:{}", file.string(), line));
}

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream ss(line);
  std::string cell;
  while (std::getline(ss, cell, ',')) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

Traces read_traces(const std::filesystem::path& file) {
  std::ifstream in(file);
  require(static_cast<bool>(in), "{}: not found (is this an experiment output directory?)", file.string());
  std::string line;
  require(static_cast<bool>(std::getline(in, line)), "{}: empty file", file.string());
  const auto header = split_csv(line);
  require(header.size() > 3 && header[0] == "method" && header[1] == "seed" && header[2] == "iteration",
          "{}:1: expected the header method,seed,iteration,...", file.string());
  Traces t;
  t.metrics.assign(header.begin() + 3, header.end());
  std::size_t n = 1;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    const auto cells = split_csv(line);
    require(cells.size() == header.size(), "{}:{}: expected {} columns, found {}", file.string(), n,
            header.size(), cells.size());
    const std::string& method = cells[0];
    if (std::find(t.methods.begin(), t.methods.end(), method) == t.methods.end()) t.methods.push_back(method);
    const auto it = static_cast<long long>(to_double(cells[2], file, n));
    for (std::size_t c = 0; c < t.metrics.size(); ++c) {
      t.data[method][t.metrics[c]].at[it].push_back(to_double(cells[c + 3], file, n));
    }
  }
  require(!t.methods.empty(), "{}: no trace rows", file.string());
  return t;
}

bool log_scale(const std::string& metric) {
  return metric == "train_loss" || metric == "test_loss" || metric.rfind("grad_norm", 0) == 0;
}

std::string axis_label(const std::string& metric) {
  static const std::map<std::string, std::string> labels{
      {"train_loss", "training loss f(x^k)"},
      {"test_loss", "test loss"},
      {"test_accuracy", "test accuracy"},
      {"grad_norm1", "||∇f(x^k)||_1"},
      {"grad_norm2", "||∇f(x^k)||_2"},
      {"grad_norm1_mean", "(1/k) Σ ||∇f(x^i)||_1"}};
  const auto it = labels.find(metric);
  return it == labels.end() ? metric : it->second;
}

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '_') out += "\\\\";  // gnuplot enhanced text: a literal underscore
    out += c;
  }
  return out;
}

}  // namespace

std::vector<std::filesystem::path> render_plots(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  const Traces traces = read_traces(dir / "traces.csv");
  double band_low = 0.1, band_high = 0.9, delta = 0.05;
  std::string title = dir.filename().string();
  {
    std::ifstream in(dir / "manifest.json");
    if (in) {
      try {
        const auto m = nlohmann::json::parse(in);
        band_low = m.at("band").at(0).get<double>();
        band_high = m.at("band").at(1).get<double>();
        delta = m.value("delta", delta);
        title = m.value("name", title);
      } catch (const std::exception& e) {
        fail("{}: malformed manifest: {}", (dir / "manifest.json").string(), e.what());
      }
    }
  }

  // bands.csv: per method, metric and iteration across seeds.
  write_file_atomically(dir / "bands.csv", [&](std::ostream& out) {
    out << "method,metric,iteration,seeds,mean,median,lower,upper,q_hp\n";
    for (const auto& method : traces.methods) {
      for (const auto& metric : traces.metrics) {
        for (const auto& [it, values] : traces.data.at(method).at(metric).at) {
          std::vector<double> v;
          for (double x : values) {
            if (std::isfinite(x)) v.push_back(x);
          }
          if (v.empty()) continue;
          std::sort(v.begin(), v.end());
          const double hp = metric.find("accuracy") != std::string::npos ? delta : 1.0 - delta;
          out << method << ',' << metric << ',' << it << ',' << v.size() << ',' << format_number(mean(v))
              << ',' << format_number(quantile_sorted(v, 0.5)) << ','
              << format_number(quantile_sorted(v, band_low)) << ','
              << format_number(quantile_sorted(v, band_high)) << ',' << format_number(quantile_sorted(v, hp))
              << '\n';
        }
      }
    }
  });

  const fs::path plot_dir = dir / "plots";
  fs::create_directories(plot_dir);
  std::vector<fs::path> images;
  const std::vector<std::string> wanted{"train_loss", "test_loss", "test_accuracy", "grad_norm1",
                                        "grad_norm2", "grad_norm1_mean"};
  auto has_metric = [&](const std::string& metric) {
    return std::find(traces.metrics.begin(), traces.metrics.end(), metric) != traces.metrics.end();
  };
  // Distributed runs communicate: then losses and gradient norms are also drawn against the
  // bits each worker has sent (the mean over seeds at each evaluated iteration).
  bool communicates = false;
  if (has_metric("bits_sent")) {
    for (const auto& method : traces.methods) {
      for (const auto& [it, values] : traces.data.at(method).at("bits_sent").at) {
        for (double b : values) communicates = communicates || b > 0;
      }
    }
  }
  std::vector<std::pair<std::string, bool>> figures;  // (metric, against bits)
  for (const auto& metric : wanted) {
    if (!has_metric(metric)) continue;
    figures.emplace_back(metric, false);
    if (communicates && (metric == "train_loss" || metric == "grad_norm1" || metric == "test_accuracy")) {
      figures.emplace_back(metric, true);
    }
  }
  std::vector<std::string> scripts;
  for (const auto& [metric, by_bits] : figures) {
    const std::string stem = by_bits ? metric + "_vs_bits" : metric;
    const fs::path data = plot_dir / (stem + ".dat");
    write_file_atomically(data, [&](std::ostream& out) {
      out << "# " << (by_bits ? "bits" : "iteration")
          << " mean lower upper, one block per method (gnuplot index)\n";
      for (const auto& method : traces.methods) {
        out << "# " << method << '\n';
        const auto& bits = traces.data.at(method).at(has_metric("bits_sent") ? "bits_sent" : metric).at;
        for (const auto& [it, values] : traces.data.at(method).at(metric).at) {
          std::vector<double> v;
          for (double x : values) {
            if (std::isfinite(x) && (!log_scale(metric) || x > 0)) v.push_back(x);
          }
          if (v.empty()) continue;
          std::sort(v.begin(), v.end());
          if (by_bits) {
            const double b = mean(bits.at(it));
            if (!(b > 0)) continue;  // the start (no bits yet) has no place on a log axis
            out << format_number(b);
          } else {
            out << it;
          }
          out << ' ' << format_number(mean(v)) << ' ' << format_number(quantile_sorted(v, band_low))
              << ' ' << format_number(quantile_sorted(v, band_high)) << '\n';
        }
        out << "\n\n";
      }
    });
    std::ostringstream gp;
    gp << "# gnuplot script written by signopt; run: gnuplot " << stem << ".gp\n"
       << "reset\n"  // scripts run one after another in one gnuplot process
       << "set datafile missing 'nan'\n"
       << "set key outside right top box opaque\n"
       << "set grid lc rgb '#dddddd'\n"
       << (by_bits ? "set xlabel 'bits sent per worker'\nset logscale x\nset format x '10^{%T}'\n"
                   : "set xlabel 'iteration k'\n")
       << "set ylabel \"" << escape(axis_label(metric)) << "\"\n"
       << "set title \"" << escape(title) << fmt::format(": mean and {:g}–{:g} quantile band", band_low, band_high) << "\"\n";
    if (log_scale(metric)) gp << "set logscale y\nset format y '10^{%T}'\n";
    gp << "set style fill transparent solid 0.18 noborder\n";
    std::ostringstream plot;
    plot << "plot ";
    for (std::size_t i = 0; i < traces.methods.size(); ++i) {
      plot << fmt::format("'{}' index {} using 1:3:4 with filledcurves lc {} notitle, ", data.filename().string(), i, i + 1);
    }
    for (std::size_t i = 0; i < traces.methods.size(); ++i) {
      plot << fmt::format("'{}' index {} using 1:2 with lines lw 2 lc {} title \"{}\"", data.filename().string(), i,
                          i + 1, escape(traces.methods[i]))
           << (i + 1 < traces.methods.size() ? ", " : "\n");
    }
    gp << "set terminal pngcairo size 1000,620 enhanced font 'Sans,11'\n"
       << "set output '" << stem << ".png.part'\n"
       << plot.str() << "set terminal svg size 1000,620 enhanced font 'Sans,11' background rgb 'white'\n"
       << "set output '" << stem << ".svg.part'\n"
       << plot.str() << "set output\n";
    const fs::path script = plot_dir / (stem + ".gp");
    write_file_atomically(script, gp.str());
    scripts.push_back(stem);
  }
  // One gnuplot process for every figure (its start-up dominated the rendering time).
  std::string names;
  for (const auto& stem : scripts) names += " '" + stem + ".gp'";
  const std::string cmd = fmt::format("cd '{}' && gnuplot{} 2>gnuplot.log", plot_dir.string(), names);
  const int rc = std::system(cmd.c_str());
  require(rc == 0, "gnuplot failed in {} (see gnuplot.log there; is gnuplot installed? scripts/bootstrap)",
          plot_dir.string());
  fs::remove(plot_dir / "gnuplot.log");
  for (const auto& stem : scripts) {
    // gnuplot wrote to .part names: only complete images get the real names.
    for (const char* ext : {".png", ".svg"}) fs::rename(plot_dir / (stem + ext + ".part"), plot_dir / (stem + ext));
    images.push_back(plot_dir / (stem + ".png"));
    images.push_back(plot_dir / (stem + ".svg"));
  }
  return images;
}

}  // namespace signopt::experiment
