#include "signopt/experiment/runner.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "signopt/core/error.hpp"
#include "signopt/experiment/report.hpp"
#include "signopt/data/npy.hpp"
#include "test_support.hpp"

namespace signopt::experiment {
namespace {

using signopt::testing::TempDir;

std::string slurp(const std::filesystem::path& p) { return signopt::testing::read_text(p); }

// traces.csv without its last column (seconds, the only non-deterministic one).
std::string traces_without_seconds(const std::filesystem::path& dir) {
  std::stringstream in(slurp(dir / "traces.csv")), out;
  std::string line;
  while (std::getline(in, line)) out << line.substr(0, line.rfind(',')) << '\n';
  return out.str();
}

const char* kMushrooms = R"(
name = "small"
seed = 3
seeds = 5
iterations = 20
[problem]
type = "logistic-regression"
data = "data/mushrooms.libsvm"
lambda = 0.1
[noise]
model = "alpha-stable"
alpha = 1.5
scale = 0.1
[[method]]
label = "SignSGD"
recipe = "signsgd"
lr = "gamma-L1"
[[method]]
label = "M-SGD"
recipe = "m-sgd"
lr = 0.5
beta = 0.9
[[method]]
label = "minibatch"
recipe = "minibatch-signsgd"
lr = 0.01
batch = 4
)";

ExperimentConfig mushrooms_config(const std::string& extra = "") {
  auto c = parse_config(std::string(kMushrooms) + extra, "small.toml");
  c.problem.data = (testing::source_dir() / "data/mushrooms.libsvm").string();
  return c;
}

ExperimentResult run_into(const ExperimentConfig& c, const std::filesystem::path& dir, int threads,
                          bool resume = false, bool plots = false) {
  RunOptions o;
  o.output = dir;
  o.threads = threads;
  o.resume = resume;
  o.progress = false;
  auto result = run_experiment(c, o);
  write_report(dir, c, result, plots);
  return result;
}

TEST(Runner, BitIdenticalWithOneOrTwoThreads) {
  TempDir a, b;
  const auto c = mushrooms_config();
  const auto r1 = run_into(c, a.path(), 1);
  const auto r2 = run_into(c, b.path(), 2);
  EXPECT_EQ(r1.threads, 1);
  EXPECT_EQ(r2.threads, 2);
  // Each run's own compute time is measured, whatever group it stepped in.
  for (const auto& r : r2.runs) EXPECT_GT(r.seconds, 0.0);
  EXPECT_EQ(traces_without_seconds(a.path()), traces_without_seconds(b.path()));
  EXPECT_EQ(slurp(a / "summary.csv"), slurp(b / "summary.csv"));
  // Different seeds do differ.
  ASSERT_EQ(r1.runs.size(), 15u);
  EXPECT_NE(r1.runs[0].trace.back().values[0], r1.runs[1].trace.back().values[0]);
}

TEST(Runner, GroupingDoesNotChangeResults) {
  // One run alone versus the same run inside a group of five.
  TempDir a, b;
  auto c = mushrooms_config();
  const auto all = run_into(c, a.path(), 1);
  c.seeds = 1;
  const auto one = run_into(c, b.path(), 1);
  for (std::size_t m = 0; m < 3; ++m) {
    const RunResult& x = all.runs[m * 5];
    const RunResult& y = one.runs[m];
    ASSERT_EQ(x.seed, y.seed);
    ASSERT_EQ(x.trace.size(), y.trace.size());
    for (std::size_t i = 0; i < x.trace.size(); ++i) {
      for (std::size_t j = 0; j + 1 < x.trace[i].values.size(); ++j) {
        ASSERT_EQ(x.trace[i].values[j], y.trace[i].values[j]) << "method " << m << " row " << i;
      }
    }
  }
}

TEST(Runner, ResumeGivesTheSameOutputsAsAnUninterruptedRun) {
  TempDir a, b;
  const auto c = mushrooms_config();
  run_into(c, a.path(), 2);
  run_into(c, b.path(), 2);
  // Simulate an interruption: two runs and every final output are gone.
  for (const char* f : {"m001-s2.json", "m001-s2.csv", "m002-s4.json"}) std::filesystem::remove(b / ("runs/" + std::string(f)));
  for (const char* f : {"traces.csv", "summary.csv", "summary.json", "summary.md", "manifest.json"}) std::filesystem::remove(b / f);
  const auto resumed = run_into(c, b.path(), 1, /*resume=*/true);
  EXPECT_EQ(resumed.resumed_runs, 13u);
  EXPECT_EQ(traces_without_seconds(a.path()), traces_without_seconds(b.path()));
  EXPECT_EQ(slurp(a / "summary.csv"), slurp(b / "summary.csv"));
  EXPECT_EQ(slurp(a / "steps.csv"), slurp(b / "steps.csv"));  // step losses read back exactly
  // Nothing left to run (two threads: no group at all).
  const auto nothing_left = run_into(c, b.path(), 2, /*resume=*/true);
  EXPECT_EQ(nothing_left.resumed_runs, 15u);
  EXPECT_EQ(traces_without_seconds(a.path()), traces_without_seconds(b.path()));
  // A changed config does not reuse stale runs.
  auto changed = c;
  changed.text += "\n# changed\n";
  const auto fresh = run_into(changed, b.path(), 2, /*resume=*/true);
  EXPECT_EQ(fresh.resumed_runs, 0u);
}

TEST(Runner, DivergingRunsStopAndTheOthersGoOn) {
  TempDir dir;
  const auto c = parse_config(R"(
seeds = 2
iterations = 100
max_loss = 1e6
output_point = "last"
[problem]
type = "quadratic"
dim = 5
condition = 100
[[method]]
label = "too-large-step"
recipe = "sgd"
lr = 0.5
[[method]]
label = "fine"
recipe = "sgd"
lr = 0.005
)", "div.toml");
  const auto r = run_into(c, dir.path(), 2);
  ASSERT_EQ(r.runs.size(), 4u);
  for (int i : {0, 1}) {
    EXPECT_EQ(r.runs[static_cast<std::size_t>(i)].status, "diverged");
    EXPECT_GT(r.runs[static_cast<std::size_t>(i)].diverged_at, 0);
    EXPECT_LT(r.runs[static_cast<std::size_t>(i)].trace.back().iteration, 100);
    EXPECT_NE(r.runs[static_cast<std::size_t>(i)].divergence_reason.find("max_loss"), std::string::npos);
  }
  for (int i : {2, 3}) {
    EXPECT_EQ(r.runs[static_cast<std::size_t>(i)].status, "ok");
    EXPECT_EQ(r.runs[static_cast<std::size_t>(i)].trace.back().iteration, 100);
  }
  const auto summary = nlohmann::json::parse(slurp(dir / "summary.json"));
  EXPECT_EQ(summary["methods"]["too-large-step"]["diverged"], 2);
  EXPECT_EQ(summary["methods"]["fine"]["diverged"], 0);
  EXPECT_NE(slurp(dir / "runs.csv").find("too-large-step,0,diverged"), std::string::npos);
  // Every run's points as .npy: a finished run has its output point and last iterate; a
  // diverged one only the iterate where it stopped.
  for (std::uint64_t seed : {0, 1}) {
    const auto diverged = run_file_stem(dir.path(), 0, seed), fine = run_file_stem(dir.path(), 1, seed);
    EXPECT_FALSE(std::filesystem::exists(diverged.string() + ".x_out.npy"));
    EXPECT_TRUE(std::filesystem::exists(diverged.string() + ".x_final.npy"));
    const Vector x_out = read_npy_vector(fine.string() + ".x_out.npy");
    const Vector x_final = read_npy_vector(fine.string() + ".x_final.npy");
    ASSERT_EQ(x_final.size(), 5);
    // With output_point = "last" the two are the same point, and its metrics are the ones
    // runs.csv reports for it.
    EXPECT_EQ(x_out, x_final);
    const auto& run = r.runs[2 + seed];
    ASSERT_EQ(run.output_metrics.at(1).first, "train_objective");
    EXPECT_EQ(r.problem->value(x_out), run.output_metrics.at(1).second);
  }
}

TEST(Runner, OutputSchema) {
  TempDir dir;
  const auto c = mushrooms_config("[summary.targets]\ntrain_loss = 0.6\n");
  run_into(c, dir.path(), 2, false, /*plots=*/true);
  for (const char* f : {"traces.csv", "runs.csv", "bands.csv", "summary.csv", "summary.json",
                        "summary.md", "manifest.json", "plots/train_loss.png", "plots/train_loss.svg",
                        "plots/test_accuracy.png", "plots/grad_norm1.svg", "plots/train_gap.png",
                        "reference_optimum.json", "reference_point.npy"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / f)) << f;
  }
  const std::string traces = slurp(dir / "traces.csv");
  EXPECT_EQ(traces.substr(0, traces.find('\n')),
            "method,seed,iteration,train_loss,train_objective,train_gap,train_accuracy,grad_norm1,"
            "grad_norm2,grad_norm1_mean,test_loss,test_accuracy,oracle_calls,epochs,uplink_bits,"
            "downlink_bits,seconds");
  // 3 methods × 5 seeds × 41 evaluated iterations + header.
  EXPECT_EQ(std::count(traces.begin(), traces.end(), '\n'), 3 * 5 * 21 + 1);
  const auto summary = nlohmann::json::parse(slurp(dir / "summary.json"));
  const auto& sign = summary["methods"]["SignSGD"];
  for (const char* stat : {"mean", "std", "median", "q05", "q95", "q_hp"}) {
    EXPECT_TRUE(sign["final"]["train_loss"].contains(stat)) << stat;
  }
  for (const char* col : {"mean_loss", "loss_variance", "convergence_rate", "mean_change",
                          "mean_accuracy_percent", "accuracy_variance_percent2"}) {
    EXPECT_TRUE(sign["paper"].contains(col)) << col;
  }
  EXPECT_TRUE(sign["to_target"]["train_loss"].contains("reached"));
  const auto manifest = nlohmann::json::parse(slurp(dir / "manifest.json"));
  for (const char* k : {"signopt_version", "git_commit", "config", "run_seeds", "wall_seconds", "machine"}) {
    EXPECT_TRUE(manifest.contains(k)) << k;
  }
  EXPECT_EQ(manifest["run_seeds"].size(), 5u);
  // The high-probability quantile of the running mean is at least its median.
  const auto& g = sign["final"]["grad_norm1_mean"];
  EXPECT_GE(g["q_hp"].get<double>(), g["median"].get<double>());
  // Minibatch oracle calls are counted in draws: 20 steps × B = 4 (runs.csv: oracle_calls,
  // epochs, uplink_bits, downlink_bits, seconds end each row).
  const std::string runs = slurp(dir / "runs.csv");
  const auto row = runs.find("minibatch,0,ok");
  ASSERT_NE(row, std::string::npos);
  const std::string line = runs.substr(row, runs.find('\n', row) - row);
  std::vector<std::string> cells;
  std::stringstream cs(line);
  for (std::string cell; std::getline(cs, cell, ',');) cells.push_back(cell);
  ASSERT_GE(cells.size(), 5u);
  EXPECT_EQ(cells[cells.size() - 5], "80");
  // Full-gradient sampling: each of the 20 steps is one pass over the n samples, whatever B
  // (the B draws share the exact gradient); a single process sends nothing.
  EXPECT_EQ(cells[cells.size() - 4], "20");
  EXPECT_EQ(cells[cells.size() - 3], "0");
  EXPECT_EQ(cells[cells.size() - 2], "0");
  // The targets table says what reaching the target cost, beside the iterations.
  const std::string md = slurp(dir / "summary.md");
  EXPECT_NE(md.find("| oracle calls | epochs | uplink bits | seconds |"), std::string::npos);
  EXPECT_TRUE(sign["to_target"]["train_loss"].contains("oracle_calls_median"));
}

TEST(Runner, TheoryParametersAndBadMethodsFailBeforeRunning) {
  TempDir dir;
  auto c = mushrooms_config();
  RunOptions o;
  o.output = dir.path();
  o.progress = false;
  const auto r = run_experiment(c, o);
  ASSERT_FALSE(r.methods[0].notes.empty());
  EXPECT_NE(r.methods[0].parameters.find("lr="), std::string::npos);
  c.methods[1].params.insert_or_assign("beta", 1.5);
  EXPECT_THROW(run_experiment(c, o), Error);
  c.methods[1].params.insert_or_assign("beta", "theory");
  EXPECT_THROW(run_experiment(c, o), Error);  // no theory value for m-sgd's beta
}

const char* kQuadratic = R"(
seed = 11
seeds = 3
iterations = 20
[problem]
type = "quadratic"
dim = 6
condition = 10
start = { distribution = "normal", mean = 1.0, std = 2.0 }
[noise]
model = "gaussian"
scale = 0.1
[[method]]
label = "sgd"
recipe = "sgd"
lr = 0.05
)";

TEST(Runner, RandomStartsDifferPerSeedAndRepeatPerSeed) {
  TempDir a, b;
  const auto c = parse_config(kQuadratic, "q.toml");
  const auto r1 = run_into(c, a.path(), 1);
  const auto r2 = run_into(c, b.path(), 2);
  ASSERT_EQ(r1.runs.size(), 3u);
  const std::size_t objective = 1;  // train_objective
  std::set<double> starts;
  for (const auto& r : r1.runs) starts.insert(r.trace.front().values[objective]);
  EXPECT_EQ(starts.size(), 3u);  // each seed starts elsewhere
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(r1.runs[i].trace.front().values[objective], r2.runs[i].trace.front().values[objective]);
  }
  // A constant start is the same for every seed.
  auto constant = c;
  constant.problem.start.kind = StartConfig::Kind::Constant;
  constant.problem.start.value = 0.5;
  TempDir d;
  const auto r3 = run_into(constant, d.path(), 1);
  EXPECT_EQ(r3.runs[0].trace.front().values[objective], r3.runs[2].trace.front().values[objective]);
}

TEST(Runner, StartFromAFile) {
  TempDir dir;
  auto c = parse_config(kQuadratic, "q.toml");
  c.problem.start = StartConfig{};
  c.problem.start.kind = StartConfig::Kind::File;
  c.problem.start.file = dir.write("x0.csv", "1,0,0,0,0,0\n");
  const auto r = run_into(c, dir / "out", 1);
  // f = ½ xᵀAx with A = diag(linspace(1, 10, 6)): ½·1·1² at x¹ = e1.
  EXPECT_DOUBLE_EQ(r.runs[0].trace.front().values[1], 0.5);
  c.problem.start.file = dir.write("short.csv", "1,2\n");
  EXPECT_THROW(run_into(c, dir / "out2", 1), Error);
}

TEST(Runner, MethodsRunWithTheirOwnIterationsNoiseAndStart) {
  TempDir dir;
  const auto c = parse_config(std::string(kQuadratic) + R"(
[[method]]
label = "long-noiseless-from-zero"
recipe = "sgd"
lr = 0.05
iterations = 35
start = "zeros"
[method.noise]
model = "none"
)", "q.toml");
  const auto r = run_into(c, dir.path(), 2);
  ASSERT_EQ(r.runs.size(), 6u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(r.runs[i].trace.back().iteration, 20);
  for (std::size_t i = 3; i < 6; ++i) {
    const auto& run = r.runs[i];
    EXPECT_EQ(run.trace.back().iteration, 35);
    EXPECT_EQ(run.trace.size(), 36u);
    // From x¹ = 0 without noise SGD stays at the minimiser: f = 0 throughout, every seed.
    for (const auto& row : run.trace) EXPECT_EQ(row.values[1], 0.0);
  }
  EXPECT_EQ(r.methods[1].iterations, 35);
  EXPECT_EQ(r.methods[1].start, "zeros");
  EXPECT_NE(r.methods[0].noise, r.methods[1].noise);
  const std::string md = slurp(dir / "summary.md");
  EXPECT_NE(md.find("Methods ran with different settings"), std::string::npos);
  EXPECT_NE(md.find("T = 35"), std::string::npos);
}

TEST(Runner, TargetsMustBeMeasuredMetrics) {
  TempDir dir;
  auto c = parse_config(std::string(kQuadratic) + "[summary.targets]\ntrain_los = 0.1\n", "q.toml");
  try {
    run_into(c, dir.path(), 1);
    FAIL() << "no error for an unknown target metric";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("train_los: unknown metric"), std::string::npos) << e.what();
  }
  c.summary.targets = {{"test_accuracy", 0.9}};
  try {
    run_into(c, dir.path(), 1);
    FAIL() << "no error for a target the study cannot measure";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no test set"), std::string::npos) << e.what();
  }
  c.summary.targets = {{"train_gap", 1e-3}};
  EXPECT_NO_THROW(run_into(c, dir.path(), 1));  // a quadratic's f* is known
}

TEST(Runner, TrivialClassifierWarningAndTheInterceptThatFixesIt) {
  // 96.5 % of the rows are +1 and their one feature is an uninformative ±1: without an intercept
  // a linear model cannot predict "always +1" (except at w = 0) and ends near 50 %.
  TempDir dir;
  std::string rows;
  // The −1 rows also carry feature 2: a model with an intercept can separate them.
  for (int i = 0; i < 200; ++i) {
    rows += i % 33 == 0 ? std::string("-1 2:1\n") : std::string(i % 2 == 0 ? "+1 1:1\n" : "+1 1:-1\n");
  }
  const auto data = dir.write("unbalanced.libsvm", rows);
  const std::string config = R"(
seed = 1
seeds = 2
iterations = 500
[problem]
type = "logistic-regression"
data = ")" + data.string() + R"("
test_fraction = 0
lambda = 0.001
[[method]]
label = "GD"
recipe = "sgd"
lr = 2.0
)";
  const auto without = parse_config(config, "u.toml");
  run_into(without, dir / "without", 1);
  const std::string md = slurp(dir / "without" / "summary.md");
  EXPECT_NE(md.find("Trivial classifier (always the most frequent class): accuracy 0.965"), std::string::npos) << md;
  EXPECT_NE(md.find("Warning: GD ends at a mean train_accuracy"), std::string::npos) << md;
  auto with = parse_config(config + "", "u.toml");
  with.problem.intercept = true;
  const auto r = run_into(with, dir / "with", 1);
  EXPECT_EQ(r.runs[0].trace.back().values.size(), r.schema.metric_names().size());
  const std::string md2 = slurp(dir / "with" / "summary.md");
  EXPECT_EQ(md2.find("Warning:"), std::string::npos) << md2;
  EXPECT_NE(md2.find("with an unregularised intercept"), std::string::npos);
  // train_accuracy is column 3 (train_loss, train_objective, train_accuracy: no f* with an
  // intercept, which leaves one direction unregularised): above the trivial 193/200.
  EXPECT_FALSE(r.schema.has_gap);
  EXPECT_GT(r.runs[0].trace.back().values[2], 193.0 / 200.0);
}

TEST(Runner, EveryStepRecordsTheLossOfItsGradientsSamples) {
  // Full-gradient sampling: a step's loss is the data term of f at x^k, which the trace's
  // train_loss also reports at the evaluated iterations.
  {
    TempDir dir;
    const auto c = mushrooms_config();
    const auto r = run_into(c, dir.path(), 2);
    for (const auto& run : r.runs) {
      ASSERT_EQ(run.step_losses.size(), 20u);  // steps 0..19 of T = 20
      for (const auto& row : run.trace) {
        if (row.iteration == 20) continue;  // no step is taken at T
        const double step_loss = run.step_losses[static_cast<std::size_t>(row.iteration)].second;
        EXPECT_NEAR(step_loss, row.values[0], 1e-14 * row.values[0]) << run.method << " k=" << row.iteration;
      }
    }
    const std::string steps = slurp(dir / "steps.csv");
    EXPECT_EQ(steps.substr(0, steps.find('\n')), "method,seed,iteration,minibatch_loss");
    EXPECT_EQ(std::count(steps.begin(), steps.end(), '\n'), 15 * 20 + 1);
  }
  // Minibatch sampling: the loss of the step's own samples — noisy around the data loss, and
  // every one a mean of log(1 + e^{−m}) terms, so positive.
  {
    TempDir dir;
    const auto c = mushrooms_config("[oracle]\nsampling = \"with-replacement\"\nbatch = 8\n");
    const auto r = run_into(c, dir.path(), 2);
    for (const auto& run : r.runs) {
      ASSERT_EQ(run.step_losses.size(), 20u);
      for (const auto& [k, loss] : run.step_losses) EXPECT_GT(loss, 0.0) << run.method << " k=" << k;
      // Not the exact data loss at k = 0 (a sample of 8 · B rows, not all of them).
      EXPECT_NE(run.step_losses.front().second, run.trace.front().values[0]);
    }
  }
}

}  // namespace
}  // namespace signopt::experiment
