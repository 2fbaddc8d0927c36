#include "signopt/experiment/theory_check.hpp"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "signopt/core/error.hpp"
#include "signopt/experiment/problem_factory.hpp"
#include "signopt/experiment/report.hpp"
#include "signopt/experiment/theory_parameters.hpp"
#include "signopt/noise/noise_registry.hpp"
#include "signopt/optim/theory_tuner.hpp"
#include "test_support.hpp"

namespace signopt::experiment {
namespace {

using signopt::testing::TempDir;

std::string slurp(const std::filesystem::path& p) { return signopt::testing::read_text(p); }

const char* kConfig = R"(
name = "check"
seed = 1
seeds = 20
iterations = 40
[problem]
type = "quadratic"
dim = 8
condition = 4
start = 1.0
[noise]
model = "gaussian"
scale = 0.1
[theory]
delta = 0.1
[[method]]
label = "minibatch"
recipe = "minibatch-signsgd"
lr = 0.01
batch = 4
[[method]]
label = "SGD"
recipe = "sgd"
lr = 0.1
[[method]]
label = "momentum"
recipe = "m-signsgd"
lr = 0.01
beta = 0.8
)";

TEST(TheoryCheck, ComparesQuantileAndMeanWithTheBoundsAtEveryT) {
  const ExperimentConfig config = parse_config(kConfig, "check.toml");
  const BuiltProblem built = build_problem(config.problem);
  const auto noise = make_noise_model(config.noise.model, config.noise.parameters);
  const TheoryContext t = make_theory_context(config, *built.problem, *noise);

  // The bounds the check must use, from the tuner's formulas with the context's inputs.
  optim::TunerInputs in;
  in.d = t.d;
  in.L0 = *t.L0;
  in.L1 = *t.L1;
  in.delta1 = t.delta1;
  in.kappa = 2.0;
  in.delta = 0.1;
  in.grad1_l1 = t.grad1_l1;
  in.set_constant_sigma(*t.sigma);
  auto minibatch_bound = [&](double T) {
    return optim::minibatch_signsgd_bound(in, *in.sigma_l1, 0.01, 4, T).total;
  };
  auto momentum_bound = [&](double T) {
    const double eps1 = 0.8 * t.grad1_l1 + 0.2 * *in.sigma_kappa;
    return optim::momentum_signsgd_bound(in, *in.sigma_kappa, eps1, 0.2, 0.01, T).total;
  };

  // Ten seeds, iterations 0..3. Minibatch: seed s has (s + 1)·u, so the 0.9-quantile is 9.1 u
  // (type 7); u is set to put it at half the bound, except at iteration 2 (twice the bound).
  const std::vector<Index> its{0, 1, 2, 3};
  SeedCurves minibatch, momentum;
  minibatch.iterations = momentum.iterations = its;
  for (int s = 0; s < 10; ++s) {
    std::vector<double> mb, mo;
    for (Index k : its) {
      const double factor = k == 2 ? 2.0 : 0.5;
      mb.push_back((s + 1) * factor * minibatch_bound(static_cast<double>(k + 1)) / 9.1);
      // Momentum: the mean is checked; one run stops before iteration 3 (+∞ there).
      mo.push_back(s == 0 && k == 3 ? std::numeric_limits<double>::infinity()
                                    : 0.25 * momentum_bound(static_cast<double>(k + 1)));
    }
    minibatch.values.push_back(mb);
    momentum.values.push_back(mo);
  }
  const TheoryCheck check =
      check_theory_bounds(config, *built.problem, *noise, {minibatch, SeedCurves{}, momentum});
  ASSERT_EQ(check.methods.size(), 2u);  // SGD has no bound to check
  const MethodBoundCheck& mb = check.methods[0];
  ASSERT_TRUE(mb.skipped.empty()) << mb.skipped;
  EXPECT_EQ(mb.label, "minibatch");
  EXPECT_EQ(mb.statistic, "0.9-quantile across seeds");
  ASSERT_EQ(mb.points.size(), 4u);
  for (const auto& p : mb.points) {
    EXPECT_DOUBLE_EQ(p.T, static_cast<double>(p.iteration + 1));
    EXPECT_NEAR(p.bound, minibatch_bound(p.T), 1e-12 * p.bound);
    EXPECT_NEAR(p.empirical / p.bound, p.iteration == 2 ? 2.0 : 0.5, 1e-12);
  }
  EXPECT_EQ(mb.stated.violations, 1u);
  EXPECT_EQ(mb.stated.first_violation, 2);
  EXPECT_EQ(mb.stated.last_violation, 2);
  EXPECT_NEAR(mb.stated.worst_ratio, 2.0, 1e-12);
  EXPECT_EQ(mb.stated.verdict, "violated");
  EXPECT_DOUBLE_EQ(mb.gamma_max, 1.0 / (48.0 * *t.L1 * std::pow(8.0, 1.5) * std::log(10.0)));

  const MethodBoundCheck& mo = check.methods[1];
  ASSERT_TRUE(mo.skipped.empty()) << mo.skipped;
  EXPECT_EQ(mo.statistic, "mean across seeds");
  EXPECT_EQ(mo.stopped, 1u);
  EXPECT_NEAR(mo.points[1].empirical, 0.25 * momentum_bound(2.0), 1e-12);
  EXPECT_TRUE(std::isinf(mo.points[3].empirical));
  EXPECT_EQ(mo.stated.violations, 1u);
  EXPECT_EQ(mo.stated.first_violation, 3);
  EXPECT_EQ(mo.stated.verdict, "violated");
}

TEST(TheoryCheck, RunnerReportsItAndTheDirectoryCheckAgrees) {
  TempDir dir;
  const ExperimentConfig config = parse_config(kConfig, "check.toml");
  RunOptions options;
  options.output = dir.path();
  options.progress = false;
  const ExperimentResult result = run_experiment(config, options);
  const std::string summary = write_report(dir.path(), config, result, true);
  EXPECT_NE(summary.find("## Theory check"), std::string::npos);
  EXPECT_NE(summary.find("| minibatch | Theorem 1"), std::string::npos) << summary;
  EXPECT_NE(summary.find("| momentum | Theorem 2"), std::string::npos) << summary;
  EXPECT_TRUE(std::filesystem::exists(dir / "plots/theory_check.png"));
  EXPECT_TRUE(std::filesystem::exists(dir / "plots/theory_check.svg"));
  const std::string csv = slurp(dir / "theory_check.csv");
  std::size_t lines = 0;
  for (char c : csv) lines += c == '\n' ? 1 : 0;
  EXPECT_EQ(lines, 1u + 2u * 41u);  // header + (T = 1..41) for both checked methods

  // `signopt estimate check DIR` recomputes the same from traces.csv and manifest.json.
  std::filesystem::remove(dir / "theory_check.csv");
  const std::string again = check_experiment_directory(dir.path());
  EXPECT_EQ(slurp(dir / "theory_check.csv"), csv);
  EXPECT_NE(summary.find(again), std::string::npos);
}

TEST(TheoryCheck, SaysWhyAMethodCannotBeChecked) {
  std::string text = kConfig;
  const std::string gaussian = "model = \"gaussian\"";
  text.replace(text.find(gaussian), gaussian.size(), "model = \"alpha-stable\"\nalpha = 1.5");
  // κ = 2 forced: the α = 1.5 noise has no finite variance (the default κ would be below 1.5).
  text.replace(text.find("delta = 0.1"), 11, "delta = 0.1\nkappa = 2.0");
  ExperimentConfig config = parse_config(text, "check.toml");
  config.seeds = 2;
  config.iterations = 5;
  TempDir dir;
  RunOptions options;
  options.output = dir.path();
  options.progress = false;
  const std::string summary =
      write_report(dir.path(), config, run_experiment(config, options), true);
  EXPECT_NE(summary.find("not checked: needs the noise level"), std::string::npos) << summary;
  // Nothing drawn, so no figure is announced.
  EXPECT_EQ(summary.find("theory_check.png"), std::string::npos) << summary;
  EXPECT_FALSE(std::filesystem::exists(dir / "plots/theory_check.png"));
}

TEST(TheoryCheck, DirectoryErrors) {
  TempDir dir;
  EXPECT_THROW(check_experiment_directory(dir / "missing"), Error);
  // An experiment without minibatch-signsgd or m-signsgd has nothing to check.
  std::string text = kConfig;
  text = text.substr(0, text.find("[[method]]")) + "[[method]]\nrecipe = \"sgd\"\nlr = 0.1\n";
  ExperimentConfig config = parse_config(text, "check.toml");
  config.seeds = 2;
  config.iterations = 3;
  RunOptions options;
  options.output = dir.path();
  options.progress = false;
  const std::string summary =
      write_report(dir.path(), config, run_experiment(config, options), false);
  EXPECT_EQ(summary.find("Theory check"), std::string::npos);
  EXPECT_THROW(check_experiment_directory(dir.path()), Error);
}

// Runs a config in a temporary directory and returns its theory check.
TheoryCheck run_and_check(const ExperimentConfig& config) {
  TempDir dir;
  RunOptions options;
  options.output = dir.path();
  options.progress = false;
  const ExperimentResult result = run_experiment(config, options);
  const BuiltProblem built = build_problem(config.problem);
  const auto noise = make_noise_model(config.noise.model, config.noise.parameters);
  return check_theory_bounds(config, *built.problem, *noise, seed_curves(config, result));
}

const MethodBoundCheck& method(const TheoryCheck& check, const std::string& recipe) {
  for (const auto& m : check.methods) {
    if (m.recipe == recipe) return m;
  }
  fail("no method {}", recipe);
}

// The shipped check (configs/theory-check.toml) bites: with exact constants every verdict rests
// on proved inputs, and at its tightest the stated bound of each theorem is within 10× of the
// empirical statistic. The full study as shipped (200 seeds × 1232 iterations, about 2 s).
TEST(TheoryCheck, ShippedCheckBitesWithExactConstants) {
  const ExperimentConfig config =
      load_config(signopt::testing::source_dir() / "configs/theory-check.toml");
  EXPECT_GE(config.seeds, 200);
  const BuiltProblem built = build_problem(config.problem);
  const auto noise = make_noise_model(config.noise.model, config.noise.parameters);
  const TheoryContext t = make_theory_context(config, *built.problem, *noise);
  EXPECT_TRUE(t.constants_proved);
  EXPECT_TRUE(t.sigma_proved);
  EXPECT_EQ(*t.kappa, 2.0);  // Gaussian noise: every moment
  EXPECT_NE(t.delta1_text.find("exact f*"), std::string::npos) << t.delta1_text;
  // ε below ‖∇f(x¹)‖₁ (the start does not already meet the target), and the run's T is the
  // Theorem 2 tuner's own T (Theorem 1's is smaller and inside the run).
  EXPECT_LT(*config.theory.epsilon, t.grad1_l1);
  optim::TunerInputs in;
  in.d = t.d;
  in.L0 = *t.L0;
  in.L1 = *t.L1;
  in.delta1 = t.delta1;
  in.kappa = *t.kappa;
  in.delta = config.theory.delta;
  in.epsilon = *config.theory.epsilon;
  in.grad1_l1 = t.grad1_l1;
  in.set_constant_sigma(*t.sigma);
  EXPECT_EQ(optim::tune_momentum_signsgd(in).iterations, config.iterations);
  EXPECT_LE(optim::tune_minibatch_signsgd(in).iterations, config.iterations);

  const TheoryCheck check = run_and_check(config);
  EXPECT_TRUE(check.unproved.empty());
  for (const char* recipe : {"minibatch-signsgd", "m-signsgd"}) {
    const MethodBoundCheck& m = method(check, recipe);
    ASSERT_TRUE(m.skipped.empty()) << m.skipped;
    EXPECT_TRUE(m.step_size_condition) << recipe;
    EXPECT_EQ(m.stated.verdict, "held") << recipe << ": " << m.stated.why;
    EXPECT_LE(m.stated.tightest_slack, 10.0) << recipe;
    EXPECT_GE(m.stated.tightest_slack, 1.0) << recipe;
    // The proof's bound is reported too (Theorem 1's is about 2× looser, Theorem 2's a little
    // tighter here: docs/theory.md). Measured: stated 6.24 and 3.32, proof 13.1 and 3.19.
    EXPECT_EQ(m.proof.verdict, "held") << recipe << ": " << m.proof.why;
    EXPECT_LE(m.proof.tightest_slack, 20.0) << recipe;
  }
}

// The negative control (configs/theory-check-violated.toml): γ far above γ_max, and the check
// reports "violated", naming the broken assumption.
TEST(TheoryCheck, NegativeControlIsViolated) {
  const ExperimentConfig config =
      load_config(signopt::testing::source_dir() / "configs/theory-check-violated.toml");
  const TheoryCheck check = run_and_check(config);
  for (const char* recipe : {"minibatch-signsgd", "m-signsgd"}) {
    const MethodBoundCheck& m = method(check, recipe);
    ASSERT_TRUE(m.skipped.empty()) << m.skipped;
    EXPECT_FALSE(m.step_size_condition);
    EXPECT_EQ(m.stated.verdict, "violated") << recipe << ": " << m.stated.why;
    EXPECT_NE(m.stated.why.find("γ > γ_max"), std::string::npos) << m.stated.why;
    EXPECT_GT(m.stated.worst_ratio, 1.0);
  }
}

ExperimentConfig cosh_config(const std::string& theory, double lr, int batch) {
  return parse_config(fmt::format(R"(
seeds = 20
iterations = 200
[problem]
type = "cosh-sum"
dim = 1
eigenvalues = [0.01]
start = 3.0
[noise]
model = "gaussian"
scale = 0.02
[theory]
{}
[[method]]
recipe = "minibatch-signsgd"
lr = {}
batch = {}
)",
                                  theory, lr, batch),
                      "cosh.toml");
}

// The same run below its bound, but with constants the check cannot vouch for: never "held".
TEST(TheoryCheck, AMethodWithItsOwnNoiseIsCheckedWithIt) {
  // Study noise scale 0.02; the method overrides it with scale 0.5: σ, and so the bound, must
  // be the method's own.
  ExperimentConfig config = cosh_config("", 0.001, 1);
  config.methods[0].noise = NoiseConfig{"gaussian", {{"scale", 0.5}}};
  const TheoryCheck own = run_and_check(config);
  const auto mentions = [](const TheoryCheck& check, const std::string& text) {
    return std::any_of(check.inputs.begin(), check.inputs.end(),
                       [&](const std::string& line) { return line.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(mentions(own, "ran with its own settings"));
  EXPECT_TRUE(mentions(own, "scale=0.5"));
  ExperimentConfig study = cosh_config("", 0.001, 1);
  const TheoryCheck plain = run_and_check(study);
  EXPECT_FALSE(mentions(plain, "ran with its own settings"));
  // The noise term grows with σ: the method's bound is larger than with the study's noise.
  ASSERT_TRUE(method(own, "minibatch-signsgd").skipped.empty()) << method(own, "minibatch-signsgd").skipped;
  const auto& own_points = method(own, "minibatch-signsgd").points;
  const auto& plain_points = method(plain, "minibatch-signsgd").points;
  ASSERT_FALSE(own_points.empty());
  ASSERT_FALSE(plain_points.empty());
  EXPECT_GT(own_points.back().bound, plain_points.back().bound);
}

TEST(TheoryCheck, RefusesHeldOnUnprovedConstants) {
  const double gamma_max = 1.0 / (48.0 * std::log(20.0));  // L1 = 1, d = 1, δ = 0.05
  const TheoryCheck proved = run_and_check(cosh_config("", 0.5 * gamma_max, 16));
  EXPECT_EQ(proved.methods[0].stated.verdict, "held") << proved.methods[0].stated.why;
  // The exact values, but given: signopt has not proved them.
  const TheoryCheck given =
      run_and_check(cosh_config("constants = \"given\"\nL0 = 0.01\nL1 = 1.0", 0.5 * gamma_max, 16));
  EXPECT_EQ(given.methods[0].stated.verdict, "not checked") << given.methods[0].stated.why;
  EXPECT_NE(given.methods[0].stated.why.find("not proved"), std::string::npos);
  EXPECT_EQ(given.methods[0].stated.violations, 0u);
  // Too few seeds to estimate the 0.95-quantile (fewer than 1/δ = 20): not a check either.
  ExperimentConfig few = cosh_config("", 0.5 * gamma_max, 16);
  few.seeds = 5;
  const TheoryCheck five = run_and_check(few);
  EXPECT_EQ(five.methods[0].stated.verdict, "not checked") << five.methods[0].stated.why;
  EXPECT_NE(five.methods[0].stated.why.find("5 seeds"), std::string::npos);
  // A given σ is not proved either.
  const TheoryCheck sigma = run_and_check(cosh_config("sigma = 0.02", 0.5 * gamma_max, 16));
  EXPECT_EQ(sigma.methods[0].stated.verdict, "not checked");
}

// Per problem: which constants are proved valid for the objective.
TEST(TheoryCheck, ConstantsSayWhetherTheyAreProved) {
  const auto noise = make_noise_model("none", {});
  auto context = [&](const std::string& problem, const std::string& constants) {
    const ExperimentConfig c =
        parse_config("[problem]\n" + problem + "\n[theory]\nconstants = \"" + constants +
                         "\"\n[[method]]\nrecipe = \"sgd\"\nlr = 0.1\n",
                     "p.toml");
    return make_theory_context(c, *build_problem(c.problem).problem, *noise);
  };
  for (const char* p : {"type = \"quadratic\"\ndim = 3", "type = \"quartic\"\ndim = 3",
                        "type = \"double-well\"\ndim = 3", "type = \"cosh-sum\"\ndim = 3"}) {
    EXPECT_TRUE(context(p, "smooth").constants_proved) << p;
  }
  const std::string logistic = "type = \"logistic-regression\"\ndata = \"" +
                               signopt::testing::mushrooms_path().string() +
                               "\"\ntest_fraction = 0\nlambda = 0.01";
  const TheoryContext smooth = context(logistic, "smooth");
  EXPECT_TRUE(smooth.constants_proved);
  EXPECT_EQ(*smooth.L1, 0.0);
  const TheoryContext seed = context(logistic, "seed");
  EXPECT_FALSE(seed.constants_proved);
  EXPECT_NEAR(*seed.L1, std::sqrt(21.0) + 0.01, 1e-12);
  EXPECT_NE(seed.constants_text.find("NOT proved"), std::string::npos);
  // The seed's heuristic exists only for logistic regression.
  EXPECT_THROW(context("type = \"quadratic\"\ndim = 3", "seed"), Error);
  // Without f*, Δ1 uses the lower bound and says so; a caller's f* is used as given.
  EXPECT_NE(smooth.delta1_text.find("lower bound 0, not f*"), std::string::npos)
      << smooth.delta1_text;
}

// γ equal to γ_max up to rounding is within the step limit; a real excess is not.
TEST(TheoryCheck, StepLimitToleratesRounding) {
  const double gamma_max = 1.0 / (48.0 * std::log(20.0));
  EXPECT_TRUE(optim::within_step_limit(gamma_max * (1 + 5e-14), gamma_max));
  EXPECT_FALSE(optim::within_step_limit(gamma_max * (1 + 1e-6), gamma_max));
  // The check on a step that differs from γ_max by rounding only: no false alarm.
  const TheoryCheck check = run_and_check(cosh_config("", gamma_max * (1 + 5e-14), 16));
  EXPECT_TRUE(check.methods[0].step_size_condition);
  EXPECT_EQ(check.methods[0].stated.verdict, "held") << check.methods[0].stated.why;
  // The case that raised the false alarm: the tuners' own γ on configs/mushrooms-minibatch.toml
  // (regime 1, γ = γ_max computed in another order), shortened to 5 iterations.
  ExperimentConfig mushrooms =
      load_config(signopt::testing::source_dir() / "configs/mushrooms-minibatch.toml");
  mushrooms.iterations = 5;
  mushrooms.seeds = 2;
  const TheoryCheck tuned = run_and_check(mushrooms);
  for (const char* recipe : {"minibatch-signsgd", "m-signsgd"}) {
    const MethodBoundCheck& m = method(tuned, recipe);
    ASSERT_TRUE(m.skipped.empty()) << m.skipped;
    EXPECT_NEAR(m.gamma / m.gamma_max, 1.0, 1e-12) << recipe;
    EXPECT_TRUE(m.step_size_condition) << recipe;
  }
}

// A step far below γ_max makes the bound's Δ1 term huge: "vacuous", not "held".
TEST(TheoryCheck, HugeSlackIsVacuous) {
  const TheoryCheck check = run_and_check(cosh_config("", 1e-6, 16));
  EXPECT_EQ(check.methods[0].stated.verdict, "vacuous") << check.methods[0].stated.why;
  EXPECT_GT(check.methods[0].stated.tightest_slack, kVacuousSlack);
}

// κ defaults to a value below the noise model's tail index, instead of 2.
TEST(TheoryCheck, KappaDefaultsBelowTheTailIndex) {
  auto kappa_for = [](const std::string& noise_table) {
    const ExperimentConfig c =
        parse_config("[problem]\ntype = \"quadratic\"\ndim = 2\n[noise]\n" + noise_table +
                         "\n[[method]]\nrecipe = \"sgd\"\nlr = 0.1\n",
                     "k.toml");
    const auto noise = make_noise_model(c.noise.model, c.noise.parameters);
    return make_theory_context(c, *build_problem(c.problem).problem, *noise);
  };
  EXPECT_DOUBLE_EQ(*kappa_for("model = \"alpha-stable\"\nalpha = 1.5").kappa, 1.375);
  EXPECT_DOUBLE_EQ(*kappa_for("model = \"alpha-stable\"\nalpha = 1.9").kappa, 1.675);
  EXPECT_DOUBLE_EQ(*kappa_for("model = \"student-t\"\nnu = 1.5").kappa, 1.375);
  EXPECT_DOUBLE_EQ(*kappa_for("model = \"gaussian\"\nscale = 1").kappa, 2.0);
  const TheoryContext cauchy = kappa_for("model = \"cauchy\"");
  EXPECT_FALSE(cauchy.kappa.has_value());
  EXPECT_NE(cauchy.kappa_text.find("no κ"), std::string::npos) << cauchy.kappa_text;
  EXPECT_FALSE(cauchy.sigma.has_value());
}

}  // namespace
}  // namespace signopt::experiment
