#include "signopt/experiment/theory_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "signopt/core/atomic_file.hpp"
#include "signopt/core/error.hpp"
#include "signopt/experiment/csv.hpp"
#include "signopt/experiment/gnuplot_figure.hpp"
#include "signopt/experiment/problem_factory.hpp"
#include "signopt/experiment/run_result.hpp"
#include "signopt/experiment/theory_parameters.hpp"
#include "signopt/noise/noise_registry.hpp"
#include "signopt/optim/method_registry.hpp"
#include "signopt/optim/theory_tuner.hpp"

namespace signopt::experiment {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr const char* kMetric = "grad_norm1_mean";

bool checkable(const std::string& recipe) {
  return recipe == "minibatch-signsgd" || recipe == "m-signsgd";
}

// Type-7 quantile of values that may hold +∞ (stopped runs): +∞ as soon as the interpolation
// touches one.
double quantile_with_infinity(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double h = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const auto hi = static_cast<std::size_t>(std::ceil(h));
  if (std::isinf(v[hi])) return kInf;
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

double mean_with_infinity(const std::vector<double>& v) {
  double s = 0.0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

std::string join(const std::vector<std::string>& items, const char* sep = "; ") {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

std::string g6(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (std::isnan(v)) return "–";
  return fmt::format("{:.4g}", v);
}

// The verdict of one bound, from the points (empirical, bound) and what the check rests on.
// `unproved` lists inputs (and a too-small seed count) that keep a "held" from meaning anything.
void judge(const std::vector<BoundPoint>& points, bool use_proof,
           const std::vector<std::string>& unproved, bool step_ok, BoundVerdict& v) {
  v.tightest_slack = kInf;
  for (const auto& p : points) {
    const double bound = use_proof ? p.proof_bound : p.bound;
    const double ratio = p.empirical / bound;
    v.worst_ratio = std::max(v.worst_ratio, ratio);
    const double slack = bound / p.empirical;
    if (slack < v.tightest_slack) {
      v.tightest_slack = slack;
      v.tightest_at = p.T;
    }
    if (p.empirical > bound) {
      ++v.violations;
      if (v.first_violation < 0) v.first_violation = p.iteration;
      v.last_violation = p.iteration;
    }
  }
  if (v.violations > 0) {
    v.verdict = "violated";
    v.why = fmt::format(
        "empirical above the bound at {} of {} recorded T', T' ∈ [{}, {}], largest "
        "empirical/bound {:.3g}",
        v.violations, points.size(), v.first_violation + 1, v.last_violation + 1, v.worst_ratio);
    if (!step_ok)
      v.why += "; γ > γ_max: an assumption is broken, the theorem does not claim this bound";
    if (!unproved.empty()) v.why += "; inputs not proved: " + join(unproved, "; ");
    return;
  }
  if (!step_ok) {
    v.verdict = "not checked";
    v.why = fmt::format(
        "γ > γ_max: the theorem does not claim the bound for this step (below it "
        "everywhere, tightest slack {:.3g})",
        v.tightest_slack);
    return;
  }
  if (!unproved.empty()) {
    v.verdict = "not checked";
    v.why = fmt::format("inputs not proved: {} (below the bound everywhere, tightest slack {:.3g})",
                        join(unproved, "; "), v.tightest_slack);
    return;
  }
  if (v.tightest_slack > kVacuousSlack) {
    v.verdict = "vacuous";
    v.why = fmt::format(
        "below the bound everywhere, but the bound is ≥ {:.3g}× the empirical value "
        "(> {:g}): no run comes near it",
        v.tightest_slack, kVacuousSlack);
    return;
  }
  v.verdict = "held";
  v.why = fmt::format(
      "below the bound at all {} recorded T'; tightest slack (bound ÷ empirical) "
      "{:.3g} at T' = {:g}",
      points.size(), v.tightest_slack, v.tightest_at);
}

void check_method(const ExperimentConfig& config, const MethodConfig& m, const TheoryContext& t,
                  const std::vector<std::string>& unproved, const SeedCurves& curves,
                  MethodBoundCheck& out) {
  out.label = m.label;
  out.recipe = m.recipe;
  out.seeds = curves.values.size();
  for (const auto& run : curves.values) {
    out.stopped += (!run.empty() && std::isinf(run.back())) ? 1 : 0;
  }
  if (curves.values.empty() || curves.iterations.empty()) {
    out.skipped = "no finished runs";
    return;
  }
  const ResolvedMethod resolved = resolve_theory_parameters(m, config, t);
  const auto& info = optim::method_info(m.recipe);
  const optim::ResolvedParams p = optim::resolve_params(m.recipe, info.parameters, resolved.params);
  if (p.choice("schedule") != "constant") {
    out.skipped = fmt::format("the explicit bound is for a constant step size; schedule = {}",
                              p.choice("schedule"));
    return;
  }
  if (!t.L0 || !t.L1) {
    out.skipped = "needs L0 and L1: " + t.constants_text;
    return;
  }
  if (!t.kappa) {
    out.skipped = "needs a noise moment κ ∈ (1, 2]: " + t.kappa_text;
    return;
  }
  if (!t.sigma) {
    out.skipped = fmt::format(
        "needs the noise level σ: the noise has no finite moment of order κ = {:.4g}; set [theory] "
        "sigma or a smaller kappa",
        *t.kappa);
    return;
  }
  if (!(t.delta1 > 0)) {
    out.skipped = fmt::format("needs Δ1 = f(x¹) − f* > 0, got {}", t.delta1);
    return;
  }
  optim::TunerInputs in;
  in.d = t.d;
  in.L0 = *t.L0;
  in.L1 = *t.L1;
  in.delta1 = t.delta1;
  in.kappa = *t.kappa;
  in.delta = config.theory.delta;
  in.c = config.theory.c;
  in.grad1_l1 = t.grad1_l1;
  if (t.sigma_per_coordinate.size() == t.d) {
    in.set_sigma(t.sigma_per_coordinate);
  } else {
    in.set_constant_sigma(*t.sigma);
  }
  const double d = static_cast<double>(t.d);
  out.gamma = p.number("lr");
  const double gamma = out.gamma;
  std::function<optim::BoundTerms(double)> bound, proof;
  if (m.recipe == "minibatch-signsgd") {
    if (p.choice("batch-schedule") != "constant") {
      out.skipped = fmt::format("the explicit bound is for a constant batch; batch-schedule = {}",
                                p.choice("batch-schedule"));
      return;
    }
    const auto batch = static_cast<double>(p.integer("batch"));
    out.guarantee = "Theorem 1: with probability ≥ 1 − δ";
    out.statistic = fmt::format("{:g}-quantile across seeds", 1.0 - config.theory.delta);
    out.parameters = fmt::format("γ = {:.6g}, B = {:g}", out.gamma, batch);
    out.gamma_max =
        in.L1 > 0 ? 1.0 / (48.0 * in.L1 * d * std::sqrt(d) * std::log(1.0 / in.delta)) : kInf;
    const double sigma_l1 = *in.sigma_l1;
    const double grad1_l2 = t.grad1_l2;
    bound = [=](double T) { return optim::minibatch_signsgd_bound(in, sigma_l1, gamma, batch, T); };
    proof = [=](double T) {
      return optim::minibatch_signsgd_proof_bound(in, sigma_l1, grad1_l2, gamma, batch, T);
    };
  } else {
    const double beta = p.number("beta");
    const double omb = 1.0 - beta;
    if (!(omb > 0)) {
      out.skipped = "the bound needs β < 1";
      return;
    }
    out.guarantee = "Theorem 2: in expectation";
    out.statistic = "mean across seeds";
    out.parameters = fmt::format("γ = {:.6g}, β = {:.6g}", out.gamma, beta);
    out.gamma_max = in.L1 > 0 ? omb / (8.0 * in.L1 * d) : kInf;
    const double sigma_kappa = *in.sigma_kappa;
    const double eps1 = beta * t.grad1_l1 + omb * sigma_kappa;
    bound = [=](double T) {
      return optim::momentum_signsgd_bound(in, sigma_kappa, eps1, omb, gamma, T);
    };
    proof = [=](double T) {
      return optim::momentum_signsgd_proof_bound(in, sigma_kappa, eps1, omb, gamma, T);
    };
  }
  out.step_size_condition = optim::within_step_limit(out.gamma, out.gamma_max);

  const double level = 1.0 - config.theory.delta;
  bool proof_available = true;
  std::string proof_unavailable;
  for (std::size_t i = 0; i < curves.iterations.size(); ++i) {
    std::vector<double> across;
    for (const auto& run : curves.values) across.push_back(run[i]);
    BoundPoint point;
    point.iteration = curves.iterations[i];
    point.T = static_cast<double>(point.iteration + 1);
    point.empirical = m.recipe == "minibatch-signsgd" ? quantile_with_infinity(across, level)
                                                      : mean_with_infinity(across);
    const optim::BoundTerms terms = bound(point.T);
    point.bound = terms.total;
    point.proof_bound = std::numeric_limits<double>::quiet_NaN();
    const bool last = i + 1 == curves.iterations.size();
    if (last) out.stated.final_terms = terms.terms;
    if (proof_available) {
      try {
        const optim::BoundTerms pt = proof(point.T);
        point.proof_bound = pt.total;
        if (last) out.proof.final_terms = pt.terms;
      } catch (const Error& e) {
        proof_available = false;
        proof_unavailable = e.what();
      }
    }
    out.points.push_back(point);
  }
  // Enough seeds for the statistic: ⌈1/δ⌉ for the (1 − δ)-quantile (fewer cannot resolve it),
  // 10 for the mean of an in-expectation bound.
  std::vector<std::string> missing = unproved;
  const auto needed = static_cast<std::size_t>(
      m.recipe == "minibatch-signsgd" ? std::ceil(1.0 / config.theory.delta - 1e-9) : 10.0);
  if (out.seeds < needed) {
    missing.push_back(fmt::format("the statistic ({} seeds; at least {} needed for the {})",
                                  out.seeds, needed, out.statistic));
  }
  judge(out.points, false, missing, out.step_size_condition, out.stated);
  if (proof_available) {
    judge(out.points, true, missing, out.step_size_condition, out.proof);
  } else {
    for (auto& point : out.points) point.proof_bound = std::numeric_limits<double>::quiet_NaN();
    out.proof.verdict = "not checked";
    out.proof.why = "outside the proof's step range: " + proof_unavailable;
  }
}

// A trace value; NaN and ±∞ (a diverged run) count as +∞, i.e. never below a bound.
double trace_value(std::string_view s, const std::filesystem::path& file, std::size_t line) {
  const double v = parse_number(s, fmt::format("{}:{}", file.string(), line));
  return std::isfinite(v) ? v : kInf;
}

// Curves from per-run (iteration → value) maps: the union of iterations, +∞ where missing.
SeedCurves assemble(const std::vector<std::map<Index, double>>& runs) {
  SeedCurves c;
  std::map<Index, int> all;
  for (const auto& r : runs) {
    for (const auto& [k, v] : r) all[k] = 0;
  }
  for (const auto& [k, unused] : all) c.iterations.push_back(k);
  for (const auto& r : runs) {
    std::vector<double> v;
    for (Index k : c.iterations) {
      const auto it = r.find(k);
      v.push_back(it == r.end() || !std::isfinite(it->second) ? kInf : it->second);
    }
    c.values.push_back(std::move(v));
  }
  return c;
}

}  // namespace

bool has_theory_check_methods(const ExperimentConfig& config) {
  return std::any_of(config.methods.begin(), config.methods.end(),
                     [](const MethodConfig& m) { return checkable(m.recipe); });
}

TheoryCheck check_theory_bounds(const ExperimentConfig& config, const Problem& problem,
                                const NoiseModel& noise, const std::vector<SeedCurves>& curves,
                                std::optional<double> f_star) {
  require(curves.size() == config.methods.size(), "theory check: {} curves for {} methods",
          curves.size(), config.methods.size());
  TheoryCheck check;
  check.delta = config.theory.delta;
  check.exact_running_mean = config.evaluation.every == 1 && config.evaluation.log_points == 0;
  const TheoryContext t = make_theory_context(config, problem, noise, f_star);
  const auto opt = [](const std::optional<double>& v) { return v ? g6(*v) : std::string("–"); };
  check.inputs.push_back(
      fmt::format("constants: L0 = {}, L1 = {} — {}; {}", opt(t.L0), opt(t.L1), t.constants_text,
                  t.constants_proved ? "proved valid for this objective"
                                     : "**not proved valid for this objective**"));
  check.inputs.push_back(fmt::format("d = {}, Δ1 = {} ({}), ‖∇f(x¹)‖₁ = {}, ‖∇f(x¹)‖₂ = {}", t.d,
                                     g6(t.delta1), t.delta1_text, g6(t.grad1_l1), g6(t.grad1_l2)));
  check.inputs.push_back(
      fmt::format("δ = {} (failure probability of Theorem 1; its statistic is "
                  "the {:g}-quantile across seeds); {}",
                  config.theory.delta, 1.0 - config.theory.delta, t.kappa_text));
  check.inputs.push_back(
      fmt::format("σ per coordinate: {} ({}){}", opt(t.sigma), t.sigma_source,
                  t.sigma_proved ? "" : " — not proved to bound the noise at every x"));
  for (const auto& n : t.notes) check.inputs.push_back(n);
  if (!t.constants_proved) check.unproved.push_back("(L0, L1) are " + t.constants);
  if (!t.sigma_proved) check.unproved.push_back("σ");
  if (!f_star && !problem.lower_bound()) check.unproved.push_back("Δ1 (no lower bound on f)");
  if (!check.exact_running_mean) {
    check.unproved.push_back("the running mean (not every iteration recorded)");
  }
  for (std::size_t m = 0; m < config.methods.size(); ++m) {
    const MethodConfig& method = config.methods[m];
    if (!checkable(method.recipe)) continue;
    MethodBoundCheck mc;
    try {
      if (method.noise || method.start || method.iterations) {
        // The method ran with settings of its own: its bound takes its own noise (σ, κ), start
        // (Δ1, ‖∇f(x¹)‖) and T, never the study's.
        const ExperimentConfig own = config.with_method_settings(m);
        const auto own_noise = make_noise_model(own.noise.model, own.noise.parameters);
        const TheoryContext tm = make_theory_context(own, problem, *own_noise, f_star);
        std::vector<std::string> unproved;
        if (!tm.constants_proved) unproved.push_back("(L0, L1) are " + tm.constants);
        if (!tm.sigma_proved) unproved.push_back("σ");
        if (!f_star && !problem.lower_bound()) unproved.push_back("Δ1 (no lower bound on f)");
        if (!check.exact_running_mean) unproved.push_back("the running mean (not every iteration recorded)");
        check.inputs.push_back(fmt::format(
            "{} ran with its own settings, and its check uses them: noise '{}', T = {}, start {}; "
            "Δ1 = {}, ‖∇f(x¹)‖₁ = {}; {}; σ per coordinate: {} ({})",
            method.label, own_noise->describe(), own.iterations, own.problem.start.describe(), g6(tm.delta1),
            g6(tm.grad1_l1), tm.kappa_text, opt(tm.sigma), tm.sigma_source));
        check_method(config, method, tm, unproved, curves[m], mc);
      } else {
        check_method(config, method, t, check.unproved, curves[m], mc);
      }
    } catch (const Error& e) {
      mc.skipped = e.what();
    }
    check.methods.push_back(std::move(mc));
  }
  return check;
}

std::vector<SeedCurves> seed_curves(const ExperimentConfig& config,
                                    const ExperimentResult& result) {
  const auto names = result.schema.metric_names();
  const auto col =
      static_cast<std::size_t>(std::find(names.begin(), names.end(), kMetric) - names.begin());
  require(col < names.size(), "theory check: the traces have no column {}", kMetric);
  std::vector<std::vector<std::map<Index, double>>> runs(config.methods.size());
  for (const RunResult& r : result.runs) {
    std::map<Index, double> curve;
    for (const auto& row : r.trace) curve[row.iteration] = row.values[col];
    runs.at(r.method_index).push_back(std::move(curve));
  }
  std::vector<SeedCurves> out;
  for (const auto& r : runs) out.push_back(assemble(r));
  return out;
}

std::string write_theory_check(const std::filesystem::path& dir, const ExperimentConfig& config,
                               const TheoryCheck& check, bool plots, GnuplotRender* render) {
  write_file_atomically(dir / "theory_check.csv", [&](std::ostream& out) {
    out << "method,statistic,iteration,T,empirical,bound_stated,bound_proof,slack_stated,slack_"
           "proof\n";
    for (const auto& m : check.methods) {
      for (const auto& p : m.points) {
        out << m.label << ',' << m.statistic << ',' << p.iteration << ',' << format_number(p.T)
            << ',' << format_number(p.empirical) << ',' << format_number(p.bound) << ','
            << format_number(p.proof_bound) << ',' << format_number(p.bound / p.empirical) << ','
            << format_number(p.proof_bound / p.empirical) << '\n';
      }
    }
  });

  std::ostringstream md;
  md << "\n## Theory check: (1/T') Σ_{k≤T'} ‖∇f(x^k)‖₁ against Theorems 1 and 2, as stated and as "
        "their proofs support (docs/theory.md)\n\n";
  for (const auto& line : check.inputs) md << "- " << line << '\n';
  if (!check.exact_running_mean) {
    md << "- [evaluation] does not record every iteration: the running mean is over the recorded "
          "iterations only, an approximation of the theorems' average\n";
  }
  md << "- slack = bound ÷ empirical; verdicts: held (every input proved, γ ≤ γ_max, slack ≤ "
     << kVacuousSlack << "), vacuous (slack > " << kVacuousSlack
     << " everywhere), violated, not checked (why)\n";
  md << "\n| method | guarantee | statistic | parameters | γ ≤ γ_max? | seeds (stopped) | "
        "empirical "
        "at T | bound at T: stated / proof | tightest slack: stated / proof | verdict (stated) | "
        "verdict (proof) |\n|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& m : check.methods) {
    if (!m.skipped.empty()) {
      md << "| " << m.label << " | – | – | – | – | " << m.seeds
         << " | – | – | – | not checked: " << m.skipped << " | not checked |\n";
      continue;
    }
    const BoundPoint& last = m.points.back();
    const auto slack = [](const BoundVerdict& v) {
      return v.verdict == "not checked" && v.tightest_slack == 0.0
                 ? std::string("–")
                 : fmt::format("{:.3g} (T' = {:g})", v.tightest_slack, v.tightest_at);
    };
    md << "| " << m.label << " | " << m.guarantee << " | " << m.statistic << " | " << m.parameters
       << " | " << (m.step_size_condition ? "yes" : "**no**")
       << fmt::format(" (γ_max = {:.3g})", m.gamma_max) << " | " << m.seeds << " (" << m.stopped
       << ") | " << g6(last.empirical) << " | " << g6(last.bound) << " / " << g6(last.proof_bound)
       << " | " << slack(m.stated) << " / " << slack(m.proof) << " | **" << m.stated.verdict
       << "**: " << m.stated.why << " | **" << m.proof.verdict << "**: " << m.proof.why << " |\n";
  }
  for (const auto& m : check.methods) {
    if (!m.skipped.empty()) continue;
    md << "\nBound terms for " << m.label << " at T = " << m.points.back().T << ", as stated:";
    for (const auto& [name, v] : m.stated.final_terms) md << " " << name << " = " << g6(v) << ";";
    if (!m.proof.final_terms.empty()) {
      md << " as the proof supports:";
      for (const auto& [name, v] : m.proof.final_terms) md << " " << name << " = " << g6(v) << ";";
    }
    md << '\n';
  }
  std::size_t drawn = 0;
  for (const auto& m : check.methods) drawn += m.skipped.empty() ? 1 : 0;
  md << "\nFiles: theory_check.csv (slack over T')"
     << (plots && drawn > 0 ? ", plots/theory_check.png|svg" : "") << '\n';
  const std::string section = md.str();
  write_file_atomically(dir / "theory_check.md", section);

  if (plots && drawn > 0) {
    const std::filesystem::path plot_dir = dir / "plots";
    std::filesystem::create_directories(plot_dir);
    const auto finite = [](double v) {
      return std::isfinite(v) ? format_number(v) : std::string("nan");
    };
    write_file_atomically(plot_dir / "theory_check.dat", [&](std::ostream& out) {
      out << "# T' empirical bound_stated bound_proof slack_stated slack_proof, one block per "
             "checked method (gnuplot index)\n";
      for (const auto& m : check.methods) {
        if (!m.skipped.empty()) continue;
        out << "# " << m.label << '\n';
        for (const auto& p : m.points) {
          // Stopped runs make the statistic +∞: those points are left out of the drawing.
          out << format_number(p.T) << ' ' << finite(p.empirical) << ' ' << finite(p.bound) << ' '
              << finite(p.proof_bound) << ' ' << finite(p.bound / p.empirical) << ' '
              << finite(p.proof_bound / p.empirical) << '\n';
        }
        out << "\n\n";
      }
    });
    GnuplotFigure fig;
    fig.stem = "theory_check";
    fig.width = 1100;
    fig.height = 900;
    fig.setup =
        "set datafile missing 'nan'\nset grid lc rgb '#dddddd'\nset logscale xy\n"
        "set format y '10^{%T}'\nset autoscale xfix\n"
        "set key below left horizontal maxcols 2 samplen 2 font ',10'\n";
    // Two panels: the curves, and their ratio; the legend sits below each panel, full width.
    std::string top = "plot ", bottom = "plot ";
    std::size_t i = 0;
    for (const auto& m : check.methods) {
      if (!m.skipped.empty()) continue;
      const std::string label = gnuplot_text(m.label);
      const std::string sep = i + 1 < drawn ? ", " : "";
      top += fmt::format(
          "'theory_check.dat' index {0} using 1:2 with lines lw 2 lc {1} title \"{2}: {3}\", "
          "'theory_check.dat' index {0} using 1:3 with lines lw 2 dt 2 lc {1} title \"{2}: bound "
          "as stated\", "
          "'theory_check.dat' index {0} using 1:4 with lines lw 1 dt 3 lc {1} title \"{2}: bound "
          "as the proof supports\"{4}",
          i, i + 1, label, gnuplot_text(m.statistic), sep);
      bottom += fmt::format(
          "'theory_check.dat' index {0} using 1:5 with lines lw 2 lc {1} title \"{2}: stated\", "
          "'theory_check.dat' index {0} using 1:6 with lines lw 1 dt 3 lc {1} title \"{2}: "
          "proof\"{3}",
          i, i + 1, label, sep);
      ++i;
    }
    const std::string plot =
        "set multiplot layout 2,1 title \"" + gnuplot_text(config.name) +
        ": theory check against T' (iterations averaged, x axis)\" font ',13'\n"
        "set ylabel \"(1/T') Σ_{k≤T'} ||∇f(x^k)||_1\"\nunset xlabel\n" +
        top +
        "\nset ylabel 'slack = bound ÷ empirical'\n"
        "set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lc rgb 'black' lw 1\n"
        "set arrow 2 from graph 0, first 10 to graph 1, first 10 nohead lc rgb '#888888' dt 2\n" +
        bottom + "\nunset arrow 1\nunset arrow 2\nunset multiplot\n";
    if (render != nullptr) {
      render->add({fig.stem, fig.setup, plot, fig.width, fig.height});
    } else {
      render_gnuplot_figure(plot_dir, {fig.stem, fig.setup, plot, fig.width, fig.height});
    }
  }
  return section;
}

std::string theory_check_section(const std::filesystem::path& dir, const ExperimentConfig& config,
                                 const ExperimentResult& result, bool plots,
                                 GnuplotRender* render) {
  if (!has_theory_check_methods(config)) return "";
  try {
    // The runs' problem and noise when the result carries them, else built from the config.
    std::shared_ptr<const Problem> problem = result.problem;
    if (!problem) problem = build_problem(config.problem).problem;
    std::shared_ptr<const NoiseModel> noise = result.noise;
    if (!noise) noise = make_noise_model(config.noise.model, config.noise.parameters);
    const TheoryCheck check =
        check_theory_bounds(config, *problem, *noise, seed_curves(config, result), result.f_star_lower_bound);
    return write_theory_check(dir, config, check, plots, render);
  } catch (const Error& e) {
    return fmt::format("\n## Theory check\n\nNot done: {}\n", e.what());
  }
}

std::string check_experiment_directory(const std::filesystem::path& dir, bool plots) {
  namespace fs = std::filesystem;
  const fs::path manifest_path = dir / "manifest.json";
  std::ifstream manifest_in(manifest_path);
  require(static_cast<bool>(manifest_in), "{}: not found (is {} an experiment output directory?)",
          manifest_path.string(), dir.string());
  std::string text, source;
  std::optional<double> f_star;  // the run's certified lower bound on f*, when it had one
  try {
    const auto manifest = nlohmann::json::parse(manifest_in);
    text = manifest.at("config").get<std::string>();
    if (manifest.contains("f_star_lower_bound") && manifest["f_star_lower_bound"].is_number()) {
      f_star = manifest["f_star_lower_bound"].get<double>();
    }
    source = manifest.value("config_file", std::string("manifest.json"));
  } catch (const std::exception& e) {
    fail("{}: malformed manifest: {}", manifest_path.string(), e.what());
  }
  const ExperimentConfig config = parse_config(text, source);
  if (!has_theory_check_methods(config)) {
    std::string recipes;
    for (const auto& m : config.methods) {
      recipes += (recipes.empty() ? "" : ", ") + m.recipe;
      if (m.workers > 0) recipes += fmt::format(" (distributed, M = {})", m.workers);
    }
    fail(
        "{}: no method to check: the explicit bounds are for the single-process minibatch-signsgd "
        "and m-signsgd, and this study runs {}",
        dir.string(), recipes);
  }

  const fs::path traces = dir / "traces.csv";
  std::ifstream in(traces);
  require(static_cast<bool>(in), "{}: not found", traces.string());
  std::string line;
  require(static_cast<bool>(std::getline(in, line)), "{}: empty file", traces.string());
  const auto header = split_csv(line);
  const auto col =
      static_cast<std::size_t>(std::find(header.begin(), header.end(), kMetric) - header.begin());
  require(header.size() > 3 && header[0] == "method" && header[1] == "seed" &&
              header[2] == "iteration" && col < header.size(),
          "{}:1: expected the header method,seed,iteration,...,{},...", traces.string(), kMetric);
  std::map<std::string, std::size_t> index;
  for (std::size_t m = 0; m < config.methods.size(); ++m) index[config.methods[m].label] = m;
  std::vector<std::map<std::string, std::map<Index, double>>> runs(config.methods.size());
  std::size_t n = 1;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    const auto cells = split_csv(line);
    require(cells.size() == header.size(), "{}:{}: expected {} columns, found {}", traces.string(),
            n, header.size(), cells.size());
    const auto it = index.find(std::string(cells[0]));
    require(it != index.end(), "{}:{}: method '{}' is not in the experiment's config",
            traces.string(), n, cells[0]);
    const auto k = static_cast<Index>(trace_value(cells[2], traces, n));
    runs[it->second][std::string(cells[1])][k] = trace_value(cells[col], traces, n);
  }
  std::vector<SeedCurves> curves;
  for (const auto& per_seed : runs) {
    std::vector<std::map<Index, double>> r;
    for (const auto& [seed, curve] : per_seed) r.push_back(curve);
    curves.push_back(assemble(r));
  }
  const BuiltProblem built = build_problem(config.problem);
  const auto noise = make_noise_model(config.noise.model, config.noise.parameters);
  const TheoryCheck check = check_theory_bounds(config, *built.problem, *noise, curves, f_star);
  return write_theory_check(dir, config, check, plots);
}

}  // namespace signopt::experiment
