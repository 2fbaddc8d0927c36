#include "signopt/experiment/theory_check.hpp"

#include <gtest/gtest.h>

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

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

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
  EXPECT_EQ(mb.violations, 1u);
  EXPECT_EQ(mb.first_violation, 2);
  EXPECT_EQ(mb.last_violation, 2);
  EXPECT_NEAR(mb.worst_ratio, 2.0, 1e-12);
  EXPECT_DOUBLE_EQ(mb.gamma_max, 1.0 / (48.0 * *t.L1 * std::pow(8.0, 1.5) * std::log(10.0)));

  const MethodBoundCheck& mo = check.methods[1];
  ASSERT_TRUE(mo.skipped.empty()) << mo.skipped;
  EXPECT_EQ(mo.statistic, "mean across seeds");
  EXPECT_EQ(mo.stopped, 1u);
  EXPECT_NEAR(mo.points[1].empirical, 0.25 * momentum_bound(2.0), 1e-12);
  EXPECT_TRUE(std::isinf(mo.points[3].empirical));
  EXPECT_EQ(mo.violations, 1u);
  EXPECT_EQ(mo.first_violation, 3);
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

}  // namespace
}  // namespace signopt::experiment
