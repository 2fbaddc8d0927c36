#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "signopt/core/error.hpp"
#include "signopt/experiment/config.hpp"
#include "signopt/experiment/tuning_selection.hpp"
#include "signopt/experiment/tuning_study.hpp"
#include "test_support.hpp"

namespace signopt::experiment {
namespace {

using signopt::testing::TempDir;

std::string slurp(const std::filesystem::path& p) { return signopt::testing::read_text(p); }

// A deterministic quadratic f(x) = ½ (x₁² + 3 x₂²) from x¹ = (1, 1), plain gradient descent with
// step γ: f(x_T) = ½ Σ λ_i (1 − γ λ_i)^{2T} (f* = 0, so this is the final train_gap).
double closed_form_gap(double lr, int T) {
  double f = 0.0;
  for (double lambda : {1.0, 3.0}) f += 0.5 * lambda * std::pow(1.0 - lr * lambda, 2.0 * T);
  return f;
}

std::string quadratic_study(const std::string& lr_grid, const std::string& tuning = "",
                            const std::string& noise = "") {
  return R"(
name = "tune"
iterations = 10
[problem]
type = "quadratic"
eigenvalues = [1.0, 3.0]
)" + noise +
         R"(
[tuning]
metric = "train_gap"
tuning_seeds = 3
evaluation_seeds = 2
)" + tuning +
         R"(
[[method]]
label = "GD"
recipe = "sgd"
lr = )" + lr_grid +
         R"(
[[method]]
label = "fixed"
recipe = "sgd"
lr = 0.05
)";
}

RunOptions quiet_options(const std::filesystem::path& dir) {
  RunOptions o;
  o.output = dir;
  o.progress = false;
  o.threads = 2;
  return o;
}

// A run whose train_gap is `values[k]` at iterations k = 0, 1, …
RunResult fake_run(std::size_t method, std::uint64_t seed, const std::vector<double>& values,
                   std::size_t columns, std::size_t column, const std::string& status = "ok") {
  RunResult r;
  r.method_index = method;
  r.seed = seed;
  r.status = status;
  for (std::size_t k = 0; k < values.size(); ++k) {
    TraceRow row;
    row.iteration = static_cast<Index>(k);
    row.values.assign(columns, 0.0);
    row.values[column] = values[k];
    r.trace.push_back(std::move(row));
  }
  return r;
}

TEST(TuningConfig, ParsesTheSeedsAndChecksThem) {
  const auto c = parse_config(quadratic_study("[0.1, 0.2]"), "study.toml");
  ASSERT_TRUE(c.tuning.has_value());
  EXPECT_EQ(c.tuning->metric, "train_gap");
  EXPECT_EQ(c.tuning->statistic, "median");
  EXPECT_EQ(c.tuning->tuning_seeds, 3);
  EXPECT_EQ(c.tuning->evaluation_first_seed, 3u);  // right after the tuning seeds 0..2
  EXPECT_EQ(c.seeds, 3);                           // the parsed config is the tuning phase
  EXPECT_EQ(c.first_seed, 0u);
  EXPECT_EQ(planned_runs(c), 3 * 3 + 2 * 2);
  auto error_of = [](const std::string& text) {
    try {
      (void)parse_config(text, "study.toml");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error_of(quadratic_study("[0.1]", "evaluation_first_seed = 2\n"))
                .find("overlap the tuning seeds"),
            std::string::npos);
  EXPECT_NE(error_of(quadratic_study("[0.1]", "statistic = \"max\"\n")).find("tuning.statistic"),
            std::string::npos);
  EXPECT_NE(
      error_of(quadratic_study("[0.1]", "last_fraction = 1.0\n")).find("tuning.last_fraction"),
      std::string::npos);
  EXPECT_NE(error_of("seeds = 4\n" + quadratic_study("[0.1]"))
                .find("study.toml:1: seeds: a study with [tuning]"),
            std::string::npos);
  EXPECT_NE(error_of("max_runs = 12\n" + quadratic_study("[0.1, 0.2]")).find("13 runs"),
            std::string::npos);
  std::string no_metric = quadratic_study("[0.1]");
  no_metric.replace(no_metric.find("metric = \"train_gap\""), 20, "");
  EXPECT_NE(error_of(no_metric).find("tuning.metric: is required"), std::string::npos);
}

TEST(TuningSelection, RunScoreFinalOrLastFractionAndDivergedWorst) {
  const std::vector<double> values{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const RunResult run = fake_run(0, 0, values, 3, 1);
  EXPECT_EQ(run_score(run, 1, 10, 0.0, false), 10.0);
  EXPECT_EQ(run_score(run, 1, 10, 0.2, false), 9.0);  // iterations 8, 9, 10
  EXPECT_EQ(run_score(run, 1, 10, 0.5, false), 7.5);  // iterations 5..10
  const RunResult diverged = fake_run(0, 0, {0, 1}, 3, 1, "diverged");
  EXPECT_EQ(run_score(diverged, 1, 10, 0.0, false), std::numeric_limits<double>::infinity());
  EXPECT_EQ(run_score(diverged, 1, 10, 0.0, true), -std::numeric_limits<double>::infinity());
  const RunResult not_finite = fake_run(0, 0, {0, std::nan("")}, 3, 1);
  EXPECT_EQ(run_score(not_finite, 1, 1, 0.0, false), std::numeric_limits<double>::infinity());
}

TEST(TuningSelection, TheWinnerIsTheBestStatisticOnTheTuningRuns) {
  auto c = parse_config(quadratic_study("[0.1, 0.2, 0.3]"), "study.toml");
  ExperimentResult tuning;
  tuning.schema.has_gap = true;
  const auto names = tuning.schema.metric_names();
  const auto column =
      static_cast<std::size_t>(std::find(names.begin(), names.end(), "train_gap") - names.begin());
  // Final values per seed: lr=0.1 → 5 5 5 (median 5, mean 5); lr=0.2 → 1 9 2 (median 2, mean 4);
  // lr=0.3 → 3 3 3; the fixed method → 7 7 7.
  const std::vector<std::vector<double>> finals{{5, 5, 5}, {1, 9, 2}, {3, 3, 3}, {7, 7, 7}};
  auto fill = [&](const std::string& diverged_run) {
    tuning.runs.clear();
    for (std::size_t m = 0; m < finals.size(); ++m) {
      for (std::size_t s = 0; s < 3; ++s) {
        const bool diverged = diverged_run == fmt::format("{}/{}", m, s);
        tuning.runs.push_back(fake_run(m, s, {100.0, finals[m][s]}, names.size(), column,
                                       diverged ? "diverged" : "ok"));
      }
    }
  };
  fill("");
  auto sel = select_best(c, tuning);
  ASSERT_EQ(sel.size(), 2u);
  ASSERT_EQ(sel[0].combinations.size(), 3u);
  EXPECT_EQ(sel[0].combinations[1].score, 2.0);
  EXPECT_EQ(sel[0].winner, 1u);  // median: lr = 0.2, inside its grid
  EXPECT_TRUE(sel[0].edge_warnings.empty());
  EXPECT_EQ(sel[1].winner, 0u);  // a block without a grid: its one setting
  EXPECT_TRUE(sel[1].edge_warnings.empty());

  c.tuning->statistic = "mean";
  sel = select_best(c, tuning);
  EXPECT_EQ(sel[0].combinations[1].score, 4.0);
  EXPECT_EQ(sel[0].winner, 2u);  // mean: lr = 0.3, the largest value
  ASSERT_EQ(sel[0].edge_warnings.size(), 1u);
  EXPECT_NE(sel[0].edge_warnings[0].find("lr = 0.3 is the largest value of its grid (0.1 … 0.3)"),
            std::string::npos)
      << sel[0].edge_warnings[0];

  // A diverged run scores +∞: it moves the median of lr = 0.2 from 2 to 9 and makes its mean ∞.
  fill("1/2");
  c.tuning->statistic = "median";
  sel = select_best(c, tuning);
  EXPECT_EQ(sel[0].combinations[1].diverged, 1u);
  EXPECT_EQ(sel[0].combinations[1].score, 9.0);  // median of {1, 9, +∞}
  EXPECT_EQ(sel[0].winner, 2u);
  c.tuning->statistic = "mean";
  EXPECT_TRUE(std::isinf(select_best(c, tuning)[0].combinations[1].score));

  // An accuracy is maximised: the highest median wins, here lr = 0.1 (the smallest value).
  tuning.schema.has_train_accuracy = true;
  const auto acc_names = tuning.schema.metric_names();
  const auto acc = static_cast<std::size_t>(
      std::find(acc_names.begin(), acc_names.end(), "train_accuracy") - acc_names.begin());
  tuning.runs.clear();
  for (std::size_t m = 0; m < finals.size(); ++m) {
    for (std::size_t s = 0; s < 3; ++s)
      tuning.runs.push_back(fake_run(m, s, {0.0, finals[m][s]}, acc_names.size(), acc));
  }
  c.tuning->metric = "train_accuracy";
  c.tuning->statistic = "median";
  sel = select_best(c, tuning);
  EXPECT_EQ(sel[0].winner, 0u);
  ASSERT_EQ(sel[0].edge_warnings.size(), 1u);
  EXPECT_NE(sel[0].edge_warnings[0].find("smallest"), std::string::npos);
}

TEST(TuningStudy, ChoosesTheKnownBestStepOnTuningSeedsAndEvaluatesOnDisjointSeeds) {
  TempDir dir;
  const auto c = parse_config(quadratic_study("[0.1, 0.3, 0.5, 0.6]"), "study.toml");
  const auto study = run_tuning_study(c, quiet_options(dir.path()), true, true);
  // The closed form's argmin over the grid.
  std::size_t best = 0;
  const std::vector<double> grid{0.1, 0.3, 0.5, 0.6};
  for (std::size_t i = 1; i < grid.size(); ++i) {
    if (closed_form_gap(grid[i], 10) < closed_form_gap(grid[best], 10)) best = i;
  }
  ASSERT_EQ(best, 2u);
  ASSERT_EQ(study.selections.size(), 2u);
  EXPECT_EQ(study.selections[0].winner, best);
  EXPECT_TRUE(study.selections[0].edge_warnings.empty());
  for (std::size_t i = 0; i < grid.size(); ++i) {
    EXPECT_NEAR(study.selections[0].combinations[i].score, closed_form_gap(grid[i], 10),
                1e-12 * closed_form_gap(grid[i], 10));
  }
  // Tuning runs on seeds 0..2, the evaluation on 3..4: the winners only, labelled as they were
  // tuned.
  std::set<std::uint64_t> tuning_seeds, evaluation_seeds;
  for (const auto& r : study.tuning.runs) tuning_seeds.insert(r.seed);
  for (const auto& r : study.evaluation.runs) evaluation_seeds.insert(r.seed);
  EXPECT_EQ(tuning_seeds, (std::set<std::uint64_t>{0, 1, 2}));
  EXPECT_EQ(evaluation_seeds, (std::set<std::uint64_t>{3, 4}));
  EXPECT_EQ(study.tuning.runs.size(), 5u * 3u);
  ASSERT_EQ(study.evaluation.runs.size(), 2u * 2u);
  EXPECT_EQ(study.evaluation_config.methods[0].label, "GD [lr=0.5]");
  EXPECT_EQ(study.evaluation_config.methods[1].label, "fixed");
  EXPECT_EQ(study.evaluation.runs[0].method, "GD [lr=0.5]");
  EXPECT_NEAR(study.evaluation.runs[0].trace.back().values[2], closed_form_gap(0.5, 10), 1e-12);

  // The outputs: the tuning phase in tuning/, the grid table, the sensitivity plot, the section.
  EXPECT_TRUE(std::filesystem::exists(dir / "tuning/traces.csv"));
  EXPECT_TRUE(std::filesystem::exists(dir / "plots/sensitivity-lr.png"));
  EXPECT_TRUE(std::filesystem::exists(dir / "plots/sensitivity-lr.svg"));
  const std::string grid_csv = slurp(dir / "grid.csv");
  EXPECT_EQ(grid_csv.substr(0, grid_csv.find('\n')),
            "block,method,lr,runs,diverged,score,lower,upper,chosen");
  EXPECT_NE(grid_csv.find("\nGD,GD [lr=0.5],0.5,3,0,"), std::string::npos) << grid_csv;
  EXPECT_NE(grid_csv.find(",1\nGD,GD [lr=0.6]"), std::string::npos) << grid_csv;  // lr = 0.5 chosen
  EXPECT_NE(grid_csv.find("\nfixed,fixed,0.05,3,0,"), std::string::npos) << grid_csv;
  const std::string md = slurp(dir / "summary.md");
  EXPECT_EQ(md, study.summary);
  EXPECT_NE(md.find("## Tuning"), std::string::npos);
  EXPECT_NE(md.find("| GD [lr=0.5] | "), std::string::npos);
  EXPECT_NE(md.find("**chosen**"), std::string::npos);
  EXPECT_EQ(md.find("Warning"), std::string::npos);
  EXPECT_NE(slurp(dir / "traces.csv").find("GD [lr=0.5],0.5,3,0,"), std::string::npos);
  // The sensitivity data: GD's four scores in increasing lr, then its chosen point; the fixed
  // method sweeps nothing and has no curve.
  const std::string dat = slurp(dir / "plots/sensitivity-lr.dat");
  EXPECT_NE(dat.find("# GD\n0.1 "), std::string::npos) << dat;
  EXPECT_NE(dat.find("# GD: chosen\n0.5 "), std::string::npos) << dat;
  EXPECT_EQ(dat.find("fixed"), std::string::npos) << dat;

  // --resume: every run read back, the same choice and table.
  RunOptions again = quiet_options(dir.path());
  again.resume = true;
  const auto resumed = run_tuning_study(c, again, true, false);
  EXPECT_EQ(resumed.tuning.resumed_runs, 15u);
  EXPECT_EQ(resumed.evaluation.resumed_runs, 4u);
  EXPECT_EQ(slurp(dir / "grid.csv"), grid_csv);
}

TEST(TuningStudy, WarnsWhenTheWinnerIsOnTheEdgeOfItsGrid) {
  TempDir dir;
  // Steps up to 0.3 all under the best 0.5: the largest wins.
  const auto c = parse_config(quadratic_study("[0.1, 0.2, 0.3]"), "study.toml");
  const auto study = run_tuning_study(c, quiet_options(dir.path()), true, false);
  EXPECT_EQ(study.selections[0].winner, 2u);
  const std::string md = slurp(dir / "summary.md");
  const std::string warning =
      "**Warning: GD: the chosen lr = 0.3 is the largest value of its grid (0.1 … 0.3)";
  // Near the top (the description) and in the tuning section.
  const auto first = md.find(warning);
  ASSERT_NE(first, std::string::npos) << md;
  EXPECT_LT(first, md.find("## Final values"));
  EXPECT_NE(md.find(warning, md.find("## Tuning")), std::string::npos);
}

TEST(TuningStudy, EveryCombinationDivergedIsSaidAndDrawsNoFigure) {
  TempDir dir;
  std::string text = quadratic_study("[5.0, 10.0]");  // steps far above 2/3: every run diverges
  text.replace(text.find("iterations = 10"), 15, "iterations = 50\nmax_loss = 100");
  const auto study = run_tuning_study(parse_config(text, "study.toml"), quiet_options(dir.path()));
  EXPECT_TRUE(study.selections[0].none_finite);
  EXPECT_EQ(study.selections[0].winner, 0u);
  EXPECT_TRUE(study.selections[0].edge_warnings.empty());
  EXPECT_FALSE(study.selections[1].none_finite);
  const std::string md = slurp(dir / "summary.md");
  EXPECT_NE(md.find("**Warning: every combination of GD diverged"), std::string::npos) << md;
  EXPECT_NE(md.find("No sensitivity plot for lr"), std::string::npos) << md;
  EXPECT_FALSE(std::filesystem::exists(dir / "plots/sensitivity-lr.png"));
  EXPECT_NE(slurp(dir / "grid.csv").find("\nGD,GD [lr=5],5,3,3,inf,nan,nan,1\n"),
            std::string::npos);
}

TEST(TuningStudy, TheWinnerIsTheArgminOverTheTuningSeedsOnly) {
  TempDir dir;
  // Gaussian noise: the seeds differ, so the tuning and evaluation runs differ too.
  const auto c = parse_config(quadratic_study("{ log = [0.01, 0.6], points = 5 }",
                                              "tuning_first_seed = 10\nevaluation_first_seed = 0\n",
                                              "[noise]\nmodel = \"gaussian\"\nscale = 1.0\n"),
                              "study.toml");
  const auto study = run_tuning_study(c, quiet_options(dir.path()), false, false);
  EXPECT_FALSE(std::filesystem::exists(dir / "grid.csv"));  // write = false: the runs only
  // The median final train_gap of each combination, recomputed from the tuning runs alone.
  std::map<std::size_t, std::vector<double>> finals;
  for (const auto& r : study.tuning.runs) {
    EXPECT_GE(r.seed, 10u);
    EXPECT_LT(r.seed, 13u);
    finals[r.method_index].push_back(r.trace.back().values[2]);
  }
  std::size_t best = 0;
  double best_median = INFINITY;
  for (std::size_t m : c.blocks[0].methods) {
    auto v = finals[m];
    std::sort(v.begin(), v.end());
    if (v[1] < best_median) {
      best_median = v[1];
      best = m;
    }
  }
  const auto& sel = study.selections[0];
  EXPECT_EQ(sel.combinations[sel.winner].method, best);
  EXPECT_EQ(sel.combinations[sel.winner].score, best_median);
  for (const auto& r : study.evaluation.runs) EXPECT_LT(r.seed, 2u);
}

TEST(TuningStudy, ATuningMetricTheProblemDoesNotProduceFailsBeforeAnyRun) {
  TempDir dir;
  for (const auto& [metric, why] :
       {std::pair{"train_accuracy", "no labels"}, std::pair{"test_loss", "no test set"},
        std::pair{"oracle_calls", "unknown metric"}}) {
    std::string text = quadratic_study("[0.1, 0.2]");
    text.replace(text.find("\"train_gap\""), 11, fmt::format("\"{}\"", metric));
    const auto c = parse_config(text, "study.toml");
    try {
      (void)run_tuning_study(c, quiet_options(dir.path()), true, false);
      FAIL() << metric;
    } catch (const Error& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(fmt::format("[tuning] metric = \"{}\" (line 8)", metric)),
                std::string::npos)
          << what;
      EXPECT_NE(what.find(why), std::string::npos) << what;
    }
    EXPECT_FALSE(std::filesystem::exists(dir / "tuning" / "runs"));
  }
}

TEST(TuningStudy, RunsFromTheCommandLine) {
  TempDir dir;
  const auto config = dir.write("tune.toml", quadratic_study("[0.1, 0.5]"));
  const auto ok = signopt::testing::run_cli(
      fmt::format("run {} --out {} --quiet --no-plots", config.string(), (dir / "out").string()));
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_TRUE(std::filesystem::exists(dir / "out/grid.csv"));
  EXPECT_TRUE(std::filesystem::exists(dir / "out/tuning/summary.md"));
  const auto seeds = signopt::testing::run_cli(
      fmt::format("run {} --out {} --seeds 4", config.string(), (dir / "out2").string()));
  EXPECT_EQ(seeds.exit_code, 2);
  EXPECT_NE(seeds.err.find("--seeds: a study with [tuning]"), std::string::npos) << seeds.err;
}

}  // namespace
}  // namespace signopt::experiment
