#include "signopt/experiment/theory_parameters.hpp"

#include <limits>

#include "signopt/experiment/start_point.hpp"

#include <fmt/format.h>

#include <cmath>

#include "signopt/core/error.hpp"
#include "signopt/experiment/constant_estimation.hpp"
#include "signopt/optim/theory_tuner.hpp"
#include "signopt/problems/logistic_regression.hpp"

namespace signopt::experiment {
namespace {

// E|z|^κ of the noise model by Monte Carlo (fixed stream), → σ = (E|z|^κ)^{1/κ}.
// σ = (E|z|^κ)^{1/κ} of the noise model: in closed form where the model has it, else by
// Monte Carlo on a fixed stream.
std::optional<double> noise_sigma(const NoiseModel& noise, double kappa, std::uint64_t seed,
                                  bool& exact) {
  exact = true;
  if (noise.name() == "none") return 0.0;
  if (!(noise.moment_supremum() > kappa)) return std::nullopt;
  if (const auto moment = noise.absolute_moment(kappa); moment && std::isfinite(*moment)) {
    return std::pow(*moment, 1.0 / kappa);
  }
  exact = false;
  Rng rng = Rng::derive({seed, stream_tag("theory-sigma")});
  std::vector<double> z(200000);
  noise.sample(rng, z);
  double s = 0.0;
  for (double v : z) s += std::pow(std::abs(v), kappa);
  return std::pow(s / static_cast<double>(z.size()), 1.0 / kappa);
}

bool is_word(const optim::ParamValue& v) { return !v.is_number(); }

// constants = "estimated": (L0, L1) from the upper envelope of the (‖∇f‖, L̂) pairs along short
// pilot trajectories (the methods with numeric parameters, two seeds, at most 200 steps), and
// plain L as the largest L̂ seen (a lower estimate of the true L).
void measure_smoothness(const ExperimentConfig& config, const Problem& problem,
                        std::shared_ptr<const NoiseModel> noise, TheoryContext& t) {
  SmoothnessStudyOptions options;
  options.pilot_only = true;
  options.steps = std::min<Index>(config.iterations, 200);
  options.seeds = std::min<Index>(config.seeds, 2);
  const SmoothnessStudy study = estimate_smoothness(config, problem, std::move(noise), options);
  t.L0 = study.fit.L0;
  t.L1 = study.fit.L1;
  t.L = study.max_smoothness;
  t.constants_text = fmt::format(
      "estimated: the upper envelope above {:.0f}% of the measured (‖∇f‖, L̂) pairs — a "
      "measurement along a few trajectories, not proved valid for f",
      100.0 * (1.0 - options.outlier_fraction));
  std::string methods;
  for (const auto& m : study.methods) methods += (methods.empty() ? "" : ", ") + m;
  t.notes.push_back(fmt::format(
      "constants estimated: L0 = {:.6g}, L1 = {:.6g} (upper envelope above {:.0f}% of {} pairs "
      "along {} seed(s) × {} steps of {}), L = max L̂ = {:.6g}",
      t.L0.value(), t.L1.value(), 100.0 * (1.0 - options.outlier_fraction), study.pairs.size(),
      study.seeds, study.steps, methods, study.max_smoothness));
}

// constants = "estimated" without [theory] sigma: σ⃗ measured at x¹ from oracle draws.
void measure_sigma(const ExperimentConfig& config, const Problem& problem,
                   std::shared_ptr<const NoiseModel> noise, TheoryContext& t) {
  NoiseStudyOptions options;
  options.samples = 2000;
  options.at = {0};
  options.pilot_only = true;
  const NoiseStudy study = estimate_noise(config, problem, std::move(noise), options);
  const auto& a = study.points.front().analysis;
  const double kappa = *t.kappa;
  // κ came from the config or the noise model's known tail index; the measurement checks it with
  // Hill (the block-sum estimator reads below 2 for finite-variance noise with heavy-ish tails at
  // this sample size, so it is reported, not used to stop).
  if (a.finite_tail > 0 && a.tail_median <= kappa) {
    fail(
        "[theory] constants = \"estimated\": the measured tail index of the gradient noise "
        "(median {:.3g} over {} coordinates) is not above kappa = {}, so E|z|^kappa looks "
        "infinite; choose [theory] kappa below the tail index (signopt estimate noise)",
        a.tail_median, a.finite_tail, kappa);
  }
  double sum = 0.0;
  for (const auto& c : a.coordinates) sum += c.sigma;
  t.sigma = sum / static_cast<double>(a.coordinates.size());
  if (static_cast<Index>(a.coordinates.size()) == t.d) {
    t.sigma_per_coordinate.resize(t.d);
    for (const auto& c : a.coordinates) t.sigma_per_coordinate[c.coordinate] = c.sigma;
  }
  t.sigma_source = fmt::format(
      "measured at x1 from {} oracle draws: sigma_i = (E|z_i|^kappa)^(1/kappa), kappa = {}",
      a.samples, kappa);
  // Norms over all d coordinates, scaled up when only some were analysed.
  const double scale = static_cast<double>(t.d) / static_cast<double>(a.coordinates.size());
  t.notes.push_back(fmt::format(
      "noise estimated at x¹ ({} draws): ‖σ‖₁ = {:.6g}, ‖σ‖_κ = {:.6g} (κ = {}), {}", a.samples,
      a.sigma_l1 * scale, a.sigma_kappa * std::pow(scale, 1.0 / kappa), kappa,
      a.finite_tail > 0 ? fmt::format("median tail index {:.3g} (Hill), {:.3g} (block sums)",
                                      a.tail_median, a.block_tail_median)
                        : std::string("no power tail in any coordinate (bounded or zero noise)")));
}

}  // namespace

TheoryContext make_theory_context(const ExperimentConfig& config, const Problem& problem,
                                  const NoiseModel& noise, std::optional<double> f_star) {
  TheoryContext t;
  t.d = problem.dim();
  const TheoryConfig& th = config.theory;

  // κ: given, or below the noise model's tail index (sup{p : E|z|^p < ∞}).
  if (th.kappa) {
    t.kappa = th.kappa;
    t.kappa_text = fmt::format("κ = {} ([theory] kappa)", *th.kappa);
  } else {
    const double tail = noise.moment_supremum();
    t.kappa = kappa_below_tail_index(tail);
    if (t.kappa) {
      t.kappa_text = std::isinf(tail)
                         ? fmt::format("κ = 2 (noise '{}' has every moment)", noise.describe())
                         : fmt::format(
                               "κ = {:.4g}, below the tail index {:g} of noise '{}' "
                               "(min(2, 1 + 0.75 (α − 1)))",
                               *t.kappa, tail, noise.describe());
    } else {
      t.kappa_text = fmt::format(
          "no κ ∈ (1, 2]: noise '{}' has tail index {:g} ≤ 1 (no finite moment of order > 1)",
          noise.describe(), tail);
    }
  }

  if (const auto* logistic = dynamic_cast<const LogisticRegression*>(&problem)) {
    const SmoothnessConstants c = logistic->seed_constants();
    t.seed_L = c.L;
    t.seed_L1 = c.L1;
  }
  // (L0, L1), named by what they are.
  t.constants = th.constants;
  if (th.constants == "smooth") {
    if (const auto c = problem.analytic_constants()) {
      t.L = c->L;
      t.L0 = c->L0;
      t.L1 = c->L1;
      t.constants_proved = true;
      t.constants_text = fmt::format("smooth (proved for {}): {}", problem.name(), c->note);
    } else {
      t.constants_text = fmt::format(
          "smooth: problem {} has no proved constants (use constants = \"estimated\" or \"given\")",
          problem.name());
    }
  } else if (th.constants == "seed") {
    const auto* logistic = dynamic_cast<const LogisticRegression*>(&problem);
    if (logistic == nullptr) {
      fail(
          "[theory] constants = \"seed\" is the seed's heuristic for logistic regression; problem "
          "{} "
          "has none (use smooth, estimated or given)",
          problem.name());
    }
    const SmoothnessConstants c = logistic->seed_constants();
    t.L = c.L;
    t.L0 = c.L0;
    t.L1 = c.L1;
    t.constants_text = "seed: " + c.note + " (NOT proved valid for the average loss)";
  } else if (th.constants == "given") {
    t.constants_text = "given ([theory] L0, L1: the user's values, not proved by signopt)";
  }
  // The measurement needs the oracle, which shares the noise model: borrow it for this call.
  const std::shared_ptr<const NoiseModel> borrowed(&noise, [](const NoiseModel*) {});
  if (th.constants == "estimated") measure_smoothness(config, problem, borrowed, t);
  if (th.L0 || th.L1) {
    if (th.L0) t.L0 = th.L0;
    if (th.L1) t.L1 = th.L1;
    if (th.constants != "given") {
      t.constants_text += fmt::format("; overridden by [theory] {}: given, not proved",
                                      th.L0 && th.L1 ? "L0 and L1" : (th.L0 ? "L0" : "L1"));
    }
    t.constants_proved = false;
  }

  // x¹ as the runs start. A start drawn per seed (a normal draw, a network's initialisation)
  // gives each run its own Δ1 and ‖∇f(x¹)‖: the bound is evaluated at the largest of them over
  // the study's run seeds, which makes it valid for every run.
  const StartPoints starts(config.problem.start, problem);
  auto draw = [&](Index i) {
    Rng init = Rng::derive({config.seed, config.first_seed + static_cast<std::uint64_t>(i), stream_tag("initial-point")});
    return starts.draw(init);
  };
  // A problem's own start may be random (networks): then two seeds' starts differ.
  const bool per_seed = config.problem.start.kind == StartConfig::Kind::Normal ||
                        (config.problem.start.kind == StartConfig::Kind::ProblemDefault &&
                         config.seeds > 1 && draw(0) != draw(1));
  double f1 = -std::numeric_limits<double>::infinity();
  Vector g;
  double g1_l1 = 0.0, g1_l2 = 0.0;
  const Index n_starts = per_seed ? config.seeds : 1;
  for (Index i = 0; i < n_starts; ++i) {
    const Vector x1 = draw(i);
    f1 = std::max(f1, problem.value_and_gradient(x1, g));
    g1_l1 = std::max(g1_l1, g.lpNorm<1>());
    g1_l2 = std::max(g1_l2, g.norm());
  }
  if (n_starts > 1) {
    t.notes.push_back(fmt::format("x¹ is drawn per seed ({}): Δ1 and ‖∇f(x¹)‖ are the largest over "
                                  "the {} run seeds' starts",
                                  config.problem.start.describe(), n_starts));
  }
  if (f_star) {
    t.delta1 = f1 - *f_star;
    t.delta1_text = fmt::format("Δ1 = f(x¹) − f* with f* = {:.10g}", *f_star);
  } else if (const auto lb = problem.lower_bound()) {
    t.delta1 = f1 - *lb;
    t.delta1_text =
        problem.lower_bound_is_minimum()
            ? fmt::format("Δ1 = f(x¹) − f* with the exact f* = {:g}", *lb)
            : fmt::format("Δ1 uses the lower bound {:g}, not f* (an upper bound on Δ1)", *lb);
  } else {
    t.delta1 = f1;
    t.delta1_text = "Δ1 uses 0 as f*: problem " + problem.name() +
                    " has no known lower bound, so Δ1 is not proved to bound f(x¹) − f*";
  }
  t.grad1_l1 = g1_l1;
  t.grad1_l2 = g1_l2;

  const bool full_gradient = config.oracle.sampling == Sampling::Full;
  if (th.sigma) {
    t.sigma = th.sigma;
    t.sigma_source = "[theory] sigma (given, not proved)";
  } else if (!t.kappa) {
    t.sigma_source = t.kappa_text;
  } else if (th.constants == "estimated") {
    measure_sigma(config, problem, borrowed, t);
  } else {
    bool exact = true;
    t.sigma = noise_sigma(noise, *t.kappa, config.seed, exact);
    t.sigma_proved = exact && t.sigma.has_value() && full_gradient;
    t.sigma_source = fmt::format(
        "{} (E|z|^κ)^(1/κ), κ = {:.4g}, for noise '{}'{}",
        exact ? "closed-form" : "Monte Carlo estimate of", *t.kappa, noise.describe(),
        full_gradient
            ? (exact ? ": additive noise independent of x, so this is the supremum over x" : "")
            : "; the oracle also samples data, whose sampling noise this σ leaves out "
              "(not proved)");
  }
  return t;
}

ResolvedMethod resolve_theory_parameters(const MethodConfig& method, const ExperimentConfig& config,
                                         const TheoryContext& t) {
  ResolvedMethod out;
  out.params = method.params;
  // The seed notebook's constant in γ_L, γ_L1 (not a failure probability).
  const double log_inv_seed_delta = std::log(1.0 / config.theory.seed_delta);
  const double d = static_cast<double>(t.d);
  auto need = [&](const std::optional<double>& v, const char* what, const std::string& key) {
    if (!v) {
      fail("method '{}': parameter {} = \"{}\" needs {} (set it in [theory])", method.label, key,
           out.params.at(key).text(), what);
    }
    return *v;
  };
  auto tuner_inputs = [&](const std::string& key) {
    optim::TunerInputs in;
    in.d = t.d;
    in.L0 = need(t.L0, "L0", key);
    in.L1 = need(t.L1, "L1", key);
    in.delta1 = t.delta1;
    if (!t.kappa) {
      fail("method '{}': {} = \"theory\" needs a noise moment κ ∈ (1, 2]: {}", method.label, key,
           t.kappa_text);
    }
    in.kappa = *t.kappa;
    in.delta = config.theory.delta;
    in.epsilon = need(config.theory.epsilon, "epsilon (the target accuracy ε)", key);
    in.c = config.theory.c;
    in.grad1_l1 = t.grad1_l1;
    if (!t.sigma) {
      fail(
          "method '{}': {} = \"theory\" needs the noise level: set [theory] sigma (the noise "
          "model has no finite moment of order κ = {})",
          method.label, key, *t.kappa);
    }
    if (t.sigma_per_coordinate.size() == t.d) {
      in.set_sigma(t.sigma_per_coordinate);
    } else {
      in.set_constant_sigma(std::max(*t.sigma, 1e-300));
    }
    return in;
  };
  auto set = [&](const std::string& key, double value, const std::string& why) {
    if (out.notes.empty()) out.notes = t.notes;  // measured constants: say where they come from
    out.notes.push_back(fmt::format("{} = {} ({})", key, value, why));
    out.params.insert_or_assign(key, value);
  };

  for (const auto& [key, value] : method.params) {
    if (!is_word(value)) continue;
    const std::string word = value.text();
    const std::optional<double> step_L = t.seed_L ? t.seed_L : t.L;
    const std::optional<double> step_L1 = t.seed_L1 ? t.seed_L1 : t.L1;
    const char* which = t.seed_L ? ", the seed's L = R² + λ, L1 = R + λ" : "";
    if (word == "gamma-L") {
      const double L = need(step_L, "the smoothness constant L", key);
      set(key, 1.0 / (L * std::pow(d, 1.5) * log_inv_seed_delta),
          fmt::format("γ_L = 1/(L d^{{3/2}} log(1/seed_delta)){}", which));
    } else if (word == "gamma-L1") {
      const double L1 = need(step_L1, "L1", key);
      set(key, 1.0 / (L1 * std::pow(d, 1.5) * log_inv_seed_delta),
          fmt::format("γ_L1 = 1/(L1 d^{{3/2}} log(1/seed_delta)){}", which));
    } else if (word == "gamma-M") {
      const double L1 = need(step_L1, "L1", key);
      set(key, 0.1 / (8.0 * L1 * d), fmt::format("γ_M = 0.1/(8 L1 d){}", which));
    } else if (word == "theory") {
      const std::string& r = method.recipe;
      if (key == "lr" && (r == "sgd" || r == "m-sgd" || r == "heavy-ball")) {
        const double L = need(step_L, "the smoothness constant L", key);
        set(key, 1.0 / (L * std::pow(d, 1.5) * log_inv_seed_delta),
            fmt::format("theory for SGD: γ_L{}", which));
      } else if (key == "lr" && (r == "signsgd" || r == "ef-signsgd")) {
        const double L1 = need(step_L1, "L1", key);
        set(key, 1.0 / (L1 * std::pow(d, 1.5) * log_inv_seed_delta),
            fmt::format("theory for SignSGD: γ_L1{}", which));
      } else if (r == "minibatch-signsgd" && (key == "lr" || key == "batch")) {
        const auto tuned = optim::tune_minibatch_signsgd(tuner_inputs(key));
        if (key == "lr") {
          set(key, tuned.gamma,
              fmt::format("Theorem 1 tuner, regime {}: {}", tuned.regime, tuned.regime_text));
        } else {
          set(key, static_cast<double>(tuned.batch),
              "Theorem 1 tuner: B = max{1, ⌈(16‖σ‖₁/ε)^{κ/(κ−1)}⌉}");
        }
      } else if (r == "m-signsgd" && (key == "lr" || key == "beta")) {
        const auto tuned = optim::tune_momentum_signsgd(tuner_inputs(key));
        if (key == "lr") {
          set(key, tuned.gamma,
              fmt::format("Theorem 2 tuner, regime {}: {}", tuned.regime, tuned.regime_text));
        } else {
          set(key, tuned.beta, "Theorem 2 tuner");
        }
      } else {
        fail(
            "method '{}': no theory value for parameter {} of recipe {} (theory covers lr of "
            "sgd, m-sgd, heavy-ball, signsgd, ef-signsgd; lr and batch of minibatch-signsgd; lr "
            "and beta of m-signsgd)",
            method.label, key, r);
      }
    }
  }
  return out;
}

}  // namespace signopt::experiment
