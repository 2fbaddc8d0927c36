#include "signopt/experiment/report.hpp"

#include <fmt/format.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <future>
#include <optional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "signopt/core/atomic_file.hpp"
#include "signopt/core/statistics.hpp"
#include "signopt/experiment/metric_direction.hpp"
#include "signopt/experiment/parameter_grid.hpp"
#include "signopt/experiment/plots.hpp"
#include "signopt/experiment/theory_check.hpp"

namespace signopt::experiment {
namespace {

std::map<std::string, double> describe(std::vector<double> xs, double hp_level) {
  std::map<std::string, double> s;
  if (xs.empty()) return s;
  std::sort(xs.begin(), xs.end());
  s["mean"] = mean(xs);
  s["std"] = standard_deviation(xs);
  s["median"] = quantile_sorted(xs, 0.5);
  s["q05"] = quantile_sorted(xs, 0.05);
  s["q25"] = quantile_sorted(xs, 0.25);
  s["q75"] = quantile_sorted(xs, 0.75);
  s["q95"] = quantile_sorted(xs, 0.95);
  s["q_hp"] = quantile_sorted(xs, hp_level);
  s["min"] = xs.front();
  s["max"] = xs.back();
  return s;
}

// The metrics summarised (wall time and counters are reported elsewhere).
std::vector<std::string> summarised_metrics(const TraceSchema& schema) {
  std::vector<std::string> out;
  for (const auto& n : schema.metric_names()) {
    if (!is_cost_column(n)) out.push_back(n);
  }
  return out;
}

std::size_t column(const TraceSchema& schema, const std::string& metric) {
  const auto names = schema.metric_names();
  return static_cast<std::size_t>(std::find(names.begin(), names.end(), metric) - names.begin());
}

std::string git_commit() {
  std::array<char, 128> buf{};
  std::string out;
  if (FILE* p = popen("git rev-parse HEAD 2>/dev/null", "r")) {
    while (fgets(buf.data(), buf.size(), p) != nullptr) out += buf.data();
    pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out.empty() ? "unknown" : out;
}

std::string fmt_value(double v) {
  if (std::isnan(v)) return "–";
  return fmt::format("{:.4g}", v);
}

}  // namespace

std::vector<MethodSummary> summarize(const ExperimentConfig& config, const ExperimentResult& result) {
  std::vector<MethodSummary> out;
  const double hp = 1.0 - config.theory.delta;
  const auto metrics = summarised_metrics(result.schema);
  for (std::size_t m = 0; m < config.methods.size(); ++m) {
    MethodSummary s;
    s.method = config.methods[m].label;
    std::vector<const RunResult*> ok;
    for (const auto& r : result.runs) {
      if (r.method_index != m) continue;
      ++s.runs;
      if (r.status == "ok") {
        ok.push_back(&r);
      } else {
        ++s.diverged;
      }
    }
    for (const auto& metric : metrics) {
      const std::size_t col = column(result.schema, metric);
      std::vector<double> finals;
      for (const RunResult* r : ok) finals.push_back(r->trace.back().values[col]);
      // The (1 − δ)-quantile is the high-probability level: an upper one for losses and
      // gradient norms, a lower one (δ) for accuracies.
      s.final_values[metric] = describe(finals, higher_is_better(metric) ? config.theory.delta : hp);
    }
    // Output point metrics.
    std::map<std::string, std::vector<double>> out_values;
    for (const RunResult* r : ok) {
      for (const auto& [k, v] : r->output_metrics) out_values[k].push_back(v);
    }
    for (auto& [k, v] : out_values) s.output_point[k] = describe(v, higher_is_better(k) ? config.theory.delta : hp);

    // The seed paper's columns, from the seed-averaged curves over the evaluated iterations.
    if (!ok.empty()) {
      auto averaged_curve = [&](const std::string& metric) {
        const std::size_t col = column(result.schema, metric);
        std::size_t len = ok.front()->trace.size();
        for (const RunResult* r : ok) len = std::min(len, r->trace.size());
        std::vector<double> curve(len, 0.0);
        for (const RunResult* r : ok) {
          for (std::size_t i = 0; i < len; ++i) curve[i] += r->trace[i].values[col];
        }
        for (double& v : curve) v /= static_cast<double>(ok.size());
        return curve;
      };
      // The seed notebook's loss is the regularised objective f (train_objective).
      const auto loss = averaged_curve("train_objective");
      s.paper["mean_loss"] = mean(loss);
      s.paper["loss_variance"] = variance(loss);
      std::vector<double> diffs;
      for (std::size_t i = 1; i < loss.size(); ++i) diffs.push_back(loss[i] - loss[i - 1]);
      // The paper's "convergence rate" is |mean of successive differences|: it cannot tell a
      // loss that fell from one that rose, so the signed mean change sits beside it.
      s.paper["convergence_rate"] = diffs.empty() ? 0.0 : std::abs(mean(diffs));
      s.paper["mean_change"] = diffs.empty() ? 0.0 : mean(diffs);
      if (result.schema.has_test) {
        // In percent, as the paper reports it (variance in %²).
        auto acc = averaged_curve("test_accuracy");
        for (double& a : acc) a *= 100.0;
        s.paper["mean_accuracy_percent"] = mean(acc);
        s.paper["accuracy_variance_percent2"] = variance(acc);
      }
    }
    // Iterations to reach targets.
    for (const auto& [metric, level] : config.summary.targets) {
      const auto names = result.schema.metric_names();
      if (std::find(names.begin(), names.end(), metric) == names.end()) continue;
      const std::size_t col = column(result.schema, metric);
      // What reaching it cost: the iteration and the cost columns of the first row that did.
      std::vector<std::pair<std::string, std::size_t>> costs;  // (name, column)
      for (std::size_t i = 0; i < names.size(); ++i) {
        if (is_cost_column(names[i])) costs.emplace_back(names[i], i);
      }
      std::vector<double> hits;
      std::map<std::string, std::vector<double>> hit_costs;
      for (const RunResult* r : ok) {
        for (const auto& row : r->trace) {
          const double v = row.values[col];
          if (higher_is_better(metric) ? v >= level : v <= level) {
            hits.push_back(static_cast<double>(row.iteration));
            for (const auto& [n, c] : costs) hit_costs[n].push_back(row.values[c]);
            break;
          }
        }
      }
      auto& t = s.to_target[metric];
      t["target"] = level;
      t["reached"] = static_cast<double>(hits.size());
      t["mean"] = hits.empty() ? std::nan("") : mean(hits);
      t["median"] = hits.empty() ? std::nan("") : median(hits);
      for (const auto& [n, c] : costs) t[n + "_median"] = hits.empty() ? std::nan("") : median(hit_costs[n]);
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::string write_report(const std::filesystem::path& dir, const ExperimentConfig& config,
                         const ExperimentResult& result, bool plots, GnuplotRender* render,
                         const std::vector<XAxis>& x_axes) {
  const auto names = result.schema.metric_names();
  auto commit = std::async(std::launch::async, git_commit);  // a process start: overlap it too
  // gnuplot renders in the background while the tables are written.
  const TraceTable table = trace_table(result.runs, result.schema);
  PlotStyle style;
  style.band_low = config.summary.band_low;
  style.band_high = config.summary.band_high;
  style.delta = config.theory.delta;
  style.title = config.name;
  style.x_axes = x_axes;
  if (plots) check_plot_request(table, style);  // before any file is written
  std::optional<GnuplotRender> own_render;
  if (plots && render == nullptr) render = &own_render.emplace(dir / "plots");
  if (plots) add_plots(*render, table, style);
  // The loss of every step's minibatch: steps.csv and one figure against iterations.
  const TraceTable steps = step_loss_table(result.runs);
  if (plots && !steps.methods.empty()) {
    PlotStyle step_style = style;
    step_style.metrics = {"minibatch_loss"};
    step_style.x_axes = {XAxis::Iterations};
    add_plots(*render, steps, step_style);
  }
  write_step_losses(dir / "steps.csv", result.runs);
  // bands.csv on a second thread while this one writes traces.csv (each about 10 MB of text
  // for the default study).
  auto bands = std::async(std::launch::async, [&] { write_bands(dir, table, style); });
  const auto summaries = summarize(config, result);
  // The swept parameters of grids (parameter_grid.hpp) as columns after the method's label.
  const auto grid = grid_columns(config);
  std::string grid_header;
  for (const auto& g : grid) grid_header += ',' + g;
  std::vector<std::string> cells;
  for (std::size_t m = 0; m < config.methods.size(); ++m) cells.push_back(grid_cells(config, grid, m));

  {
    std::string csv = "method" + grid_header + ",seed,iteration";
    for (const auto& n : names) csv += ',' + n;
    csv += '\n';
    std::size_t size = csv.size();
    for (const auto& r : result.runs) {
      size += r.trace_csv.size() + r.trace.size() * (r.method.size() + cells[r.method_index].size() + 24);
    }
    csv.reserve(size);
    for (const auto& r : result.runs) {
      const std::string prefix = fmt::format("{}{},{},", r.method, cells[r.method_index], r.seed);
      if (r.trace_csv.empty()) {
        append_trace_rows(csv, prefix, r.trace);
        continue;
      }
      // The run's formatted lines, each prefixed with method and seed.
      for (std::size_t start = 0; start < r.trace_csv.size();) {
        const std::size_t end = r.trace_csv.find('\n', start);
        csv += prefix;
        csv.append(r.trace_csv, start, end - start + 1);
        start = end + 1;
      }
    }
    write_file_atomically(dir / "traces.csv", csv);
  }
  bands.get();

  std::vector<std::string> output_names{"train_loss", "train_objective"};
  if (result.schema.has_gap) output_names.emplace_back("train_gap");
  if (result.schema.has_train_accuracy) output_names.emplace_back("train_accuracy");
  output_names.emplace_back("grad_norm1");
  output_names.emplace_back("grad_norm2");
  if (result.schema.has_test) {
    output_names.emplace_back("test_loss");
    output_names.emplace_back("test_accuracy");
  }
  write_file_atomically(dir / "runs.csv", [&](std::ostream& out) {
    out << "method" << grid_header << ",seed,status,diverged_at,output_rule,output_index";
    for (const auto& n : output_names) out << ",output_" << n;
    out << ",oracle_calls" << (result.schema.has_epochs ? ",epochs" : "") << ",uplink_bits,downlink_bits,seconds\n";
    for (const auto& r : result.runs) {
      out << r.method << cells[r.method_index] << ',' << r.seed << ',' << r.status << ',' << r.diverged_at << ','
          << r.output_rule << ',' << r.output_index;
      for (const auto& n : output_names) {
        double v = std::nan("");
        for (const auto& [k, x] : r.output_metrics) {
          if (k == n) v = x;
        }
        out << ',' << format_number(v);
      }
      out << ',' << r.oracle_calls;
      if (result.schema.has_epochs) out << ',' << format_number(r.epochs);
      out << ',' << format_number(r.uplink_bits) << ',' << format_number(r.downlink_bits) << ','
          << format_number(r.seconds) << '\n';
    }
  });

  write_file_atomically(dir / "summary.csv", [&](std::ostream& out) {
    out << "method" << grid_header << ",section,metric,statistic,value\n";
    for (std::size_t m = 0; m < summaries.size(); ++m) {
      const auto& s = summaries[m];
      const std::string method = s.method + cells[m];
      out << method << ",runs,runs,count," << s.runs << '\n';
      out << method << ",runs,diverged,count," << s.diverged << '\n';
      for (const auto& [metric, stats] : s.final_values) {
        for (const auto& [stat, v] : stats) out << method << ",final," << metric << ',' << stat << ',' << format_number(v) << '\n';
      }
      for (const auto& [metric, stats] : s.output_point) {
        for (const auto& [stat, v] : stats) out << method << ",output_point," << metric << ',' << stat << ',' << format_number(v) << '\n';
      }
      for (const auto& [k, v] : s.paper) out << method << ",paper," << k << ",value," << format_number(v) << '\n';
      for (const auto& [metric, stats] : s.to_target) {
        for (const auto& [stat, v] : stats) out << method << ",to_target," << metric << ',' << stat << ',' << format_number(v) << '\n';
      }
    }
  });

  nlohmann::json js;
  js["delta"] = config.theory.delta;
  js["high_probability_quantile"] = 1.0 - config.theory.delta;
  for (std::size_t i = 0; i < summaries.size(); ++i) {
    const auto& s = summaries[i];
    auto& m = js["methods"][s.method];
    for (const auto& [parameter, value] : config.methods[i].grid_point) m["grid_point"][parameter] = value;
    m["runs"] = s.runs;
    m["diverged"] = s.diverged;
    auto put = [](nlohmann::json& j, const std::map<std::string, std::map<std::string, double>>& table) {
      for (const auto& [metric, stats] : table) {
        for (const auto& [stat, v] : stats) j[metric][stat] = std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
      }
    };
    put(m["final"], s.final_values);
    put(m["output_point"], s.output_point);
    put(m["to_target"], s.to_target);
    for (const auto& [k, v] : s.paper) m["paper"][k] = v;
  }
  write_file_atomically(dir / "summary.json", js.dump(2) + "\n");

  // summary.md
  std::ostringstream md;
  md << "# " << config.name << "\n\n";
  if (!config.description.empty()) md << config.description << "\n\n";
  const double hp_upper = 1.0 - config.theory.delta, hp_lower = config.theory.delta;
  md << "Problem: " << result.problem_description << "  \nNoise: " << result.noise_description
     << "  \nT = " << config.iterations << ", " << config.seeds << " seeds per method, output point: "
     << optim::to_string(config.output_point) << "  \nf* = "
     << (result.f_star ? fmt::format("{:.12g}", *result.f_star) : std::string("unknown")) << " ("
     << result.f_star_note << ")\n\n";
  if (config.has_method_overrides()) {
    md << "**Methods ran with different settings** (T, noise or start: see Methods below); compare "
          "their rows with that in mind.\n\n";
  }
  if (result.trivial_test_accuracy || result.trivial_train_accuracy) {
    md << "Trivial classifier (always the most frequent class): accuracy "
       << (result.trivial_train_accuracy ? fmt::format("{:.4g} on the training set", *result.trivial_train_accuracy) : "")
       << (result.trivial_train_accuracy && result.trivial_test_accuracy ? ", " : "")
       << (result.trivial_test_accuracy ? fmt::format("{:.4g} on the test set", *result.trivial_test_accuracy) : "")
       << ".\n\n";
    for (const auto& s : summaries) {
      for (const auto& [metric, trivial] : {std::pair{"train_accuracy", result.trivial_train_accuracy},
                                            std::pair{"test_accuracy", result.trivial_test_accuracy}}) {
        const auto it = s.final_values.find(metric);
        if (!trivial || it == s.final_values.end() || it->second.empty()) continue;
        if (it->second.at("mean") <= *trivial) {
          md << fmt::format("**Warning: {} ends at a mean {} of {:.4g}, no better than the trivial "
                            "classifier ({:.4g}).** On unbalanced classes a linear model without an "
                            "intercept may not even express it: try `intercept = true` in [problem].\n\n",
                            s.method, metric, it->second.at("mean"), *trivial);
        }
      }
    }
  }
  md << "Metrics: train_loss is the data term (1/n)Σℓ_i, like test_loss; train_objective is f with "
        "its regulariser; train_gap = f − f*.\n\n";
  md << "## Final values (each run's last iteration) across seeds: mean ± std [median; q]\n\n"
     << fmt::format("q is the high-probability quantile: the {:g}-quantile (upper) for losses, gaps "
                    "and gradient norms, the {:g}-quantile (lower) for accuracies.\n\n",
                    hp_upper, hp_lower)
     << "| method | runs (diverged) |";
  const auto metrics = summarised_metrics(result.schema);
  for (const auto& metric : metrics) {
    md << ' ' << metric << fmt::format(" [median; q{:g}]", higher_is_better(metric) ? hp_lower : hp_upper) << " |";
  }
  md << "\n|---|---|";
  for (std::size_t i = 0; i < metrics.size(); ++i) md << "---|";
  md << '\n';
  for (const auto& s : summaries) {
    md << "| " << s.method << " | " << s.runs << " (" << s.diverged << ") |";
    for (const auto& metric : metrics) {
      const auto it = s.final_values.find(metric);
      if (it == s.final_values.end() || it->second.empty()) {
        md << " – |";
      } else {
        const auto& st = it->second;
        md << ' ' << fmt_value(st.at("mean")) << " ± " << fmt_value(st.at("std")) << " ["
           << fmt_value(st.at("median")) << "; " << fmt_value(st.at("q_hp")) << "] |";
      }
    }
    md << '\n';
  }
  md << "\n## The seed paper's columns\n\nAs the paper defines them, on the seed-averaged curve of "
        "train_objective (f, as the notebook's loss) over the evaluated iterations: mean loss = its "
        "mean, loss variance = its variance over iterations, convergence rate = |mean of its "
        "successive differences| = |f_T − f_0|/T (blind to direction: a loss that rose scores like "
        "one that fell), shown beside the signed mean change per iteration (negative = decreasing). "
        "Accuracy on the test set, in %. These summarise a whole curve, so they depend on T and the "
        "start as much as on the method.\n\n"
        "| method | mean loss | loss variance | convergence rate (paper: abs) | mean change per iteration (signed) |";
  if (result.schema.has_test) md << " mean accuracy % | accuracy variance (%²) |";
  md << "\n|---|---|---|---|---|" << (result.schema.has_test ? "---|---|" : "") << '\n';
  for (const auto& s : summaries) {
    auto get = [&](const char* k) { const auto it = s.paper.find(k); return it == s.paper.end() ? std::nan("") : it->second; };
    md << "| " << s.method << " | " << fmt_value(get("mean_loss")) << " | " << fmt_value(get("loss_variance"))
       << " | " << fmt_value(get("convergence_rate")) << " | " << fmt_value(get("mean_change")) << " |";
    if (result.schema.has_test) {
      md << ' ' << fmt_value(get("mean_accuracy_percent")) << " | " << fmt_value(get("accuracy_variance_percent2")) << " |";
    }
    md << '\n';
  }
  md << "\n## Output point (" << optim::to_string(config.output_point) << ") across seeds: mean ± std\n\n| method |";
  for (const auto& n : output_names) md << ' ' << n << " |";
  md << "\n|---|";
  for (std::size_t i = 0; i < output_names.size(); ++i) md << "---|";
  md << '\n';
  for (const auto& s : summaries) {
    md << "| " << s.method << " |";
    for (const auto& n : output_names) {
      const auto it = s.output_point.find(n);
      if (it == s.output_point.end() || it->second.empty()) {
        md << " – |";
      } else {
        md << ' ' << fmt_value(it->second.at("mean")) << " ± " << fmt_value(it->second.at("std")) << " |";
      }
    }
    md << '\n';
  }
  if (!config.summary.targets.empty()) {
    // Iterations alone mislead when a step's cost differs (a minibatch of 723 against one
    // draw, 1 bit against 32 per coordinate): the medians of what reaching it cost sit beside.
    const bool epochs = result.schema.has_epochs;
    md << "\n## Iterations to reach the targets, and what it cost\n\nOver the seeds that reached it: "
          "iterations (mean, median), then the medians of oracle calls N = Σ B_k (all workers)"
       << (epochs ? ", epochs" : "")
       << ", uplink bits per worker and the run's own compute seconds at the first evaluation that reached it.\n\n"
       << "| method | metric | target | reached | mean it. | median it. | oracle calls | "
       << (epochs ? "epochs | " : "") << "uplink bits | seconds |\n|---|---|---|---|---|---|---|"
       << (epochs ? "---|" : "") << "---|---|\n";
    for (const auto& s : summaries) {
      for (const auto& [metric, t] : s.to_target) {
        md << "| " << s.method << " | " << metric << " | " << fmt_value(t.at("target")) << " | "
           << t.at("reached") << "/" << (s.runs - s.diverged) << " | " << fmt_value(t.at("mean")) << " | "
           << fmt_value(t.at("median")) << " | " << fmt_value(t.at("oracle_calls_median")) << " | ";
        if (epochs) md << fmt_value(t.at("epochs_median")) << " | ";
        md << fmt_value(t.at("uplink_bits_median")) << " | " << fmt_value(t.at("seconds_median")) << " |\n";
      }
    }
  }
  md << "\n## Methods\n\n";
  for (const auto& m : result.methods) {
    md << "- **" << m.label << "** (`" << m.recipe << "`): " << m.parameters << "; T = " << m.iterations
       << "; noise: " << m.noise << "; start: " << m.start << "; ran as: " << m.execution << '\n';
    for (const auto& note : m.notes) md << "  - " << note << '\n';
  }
  const std::string summary_md = md.str() + theory_check_section(dir, config, result, plots, render);
  write_file_atomically(dir / "summary.md", summary_md);

  nlohmann::json manifest;
  manifest["signopt_version"] = SIGNOPT_VERSION;
  manifest["git_commit"] = commit.get();
  manifest["config_file"] = config.source.string();
  manifest["config"] = config.text;
  manifest["config_digest"] = result.config_digest;
  manifest["name"] = config.name;
  manifest["experiment_seed"] = config.seed;
  std::vector<std::uint64_t> seeds;
  for (Index i = 0; i < config.seeds; ++i) seeds.push_back(config.first_seed + static_cast<std::uint64_t>(i));
  manifest["run_seeds"] = seeds;
  manifest["iterations"] = config.iterations;
  manifest["f_star"] = result.f_star ? nlohmann::json(*result.f_star) : nlohmann::json(nullptr);
  manifest["f_star_note"] = result.f_star_note;
  manifest["f_star_lower_bound"] =
      result.f_star_lower_bound ? nlohmann::json(*result.f_star_lower_bound) : nlohmann::json(nullptr);
  if (result.trivial_test_accuracy) manifest["trivial_test_accuracy"] = *result.trivial_test_accuracy;
  if (result.trivial_train_accuracy) manifest["trivial_train_accuracy"] = *result.trivial_train_accuracy;
  manifest["methods"] = nlohmann::json::array();
  for (std::size_t i = 0; i < result.methods.size(); ++i) {
    const auto& m = result.methods[i];
    nlohmann::json entry{{"label", m.label}, {"recipe", m.recipe}, {"parameters", m.parameters},
                         {"notes", m.notes}, {"iterations", m.iterations}, {"noise", m.noise},
                         {"start", m.start}, {"workers", m.workers}, {"execution", m.execution}};
    for (const auto& [parameter, value] : config.methods.at(i).grid_point) entry["grid_point"][parameter] = value;
    manifest["methods"].push_back(std::move(entry));
  }
  manifest["problem"] = result.problem_description;
  manifest["noise"] = result.noise_description;
  manifest["threads"] = result.threads;
  manifest["resumed_runs"] = result.resumed_runs;
  manifest["wall_seconds"] = result.wall_seconds;
  manifest["band"] = {config.summary.band_low, config.summary.band_high};
  manifest["delta"] = config.theory.delta;
  manifest["metrics"] = names;
  utsname u{};
  if (uname(&u) == 0) {
    manifest["machine"] = {{"system", u.sysname}, {"release", u.release}, {"arch", u.machine},
                           {"hardware_threads", std::thread::hardware_concurrency()}};
  }
  write_file_atomically(dir / "manifest.json", manifest.dump(2) + "\n");
  if (plots) render->wait();
  return summary_md;
}

}  // namespace signopt::experiment
