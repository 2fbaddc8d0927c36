#include "signopt/experiment/parameter_grid.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "signopt/core/error.hpp"
#include "signopt/experiment/config.hpp"
#include "signopt/experiment/plots.hpp"
#include "signopt/experiment/report.hpp"
#include "signopt/experiment/runner.hpp"
#include "test_support.hpp"

namespace signopt::experiment {
namespace {

using signopt::testing::TempDir;

// Top-level keys (lines 1-3), then `extra` top-level keys, then the problem (3 lines) and
// `methods`.
std::string study(const std::string& methods, const std::string& extra = "") {
  return "\niterations = 6\nseeds = 2\n" + extra +
         "[problem]\ntype = \"quadratic\"\neigenvalues = [1.0, 3.0]\n" + methods;
}

ExperimentConfig parse(const std::string& methods, const std::string& extra = "") {
  return parse_config(study(methods, extra), "study.toml");
}

void expect_error(const std::string& methods, std::initializer_list<std::string> fragments,
                  const std::string& extra = "") {
  try {
    (void)parse_config(study(methods, extra), "study.toml");
    FAIL() << "no error for:\n" << methods;
  } catch (const Error& e) {
    for (const auto& f : fragments)
      EXPECT_NE(std::string(e.what()).find(f), std::string::npos) << e.what();
  }
}

std::string first_line(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::string line;
  std::getline(in, line);
  return line;
}

TEST(ParameterGrid, LogAndLinearRangesAndLists) {
  const auto log = GridAxis::range("lr", 1e-5, 1e-1, 9, true, 1, "x");
  ASSERT_EQ(log.values.size(), 9u);
  for (std::size_t i = 0; i < 9; ++i) {
    EXPECT_NEAR(log.values[i] / std::pow(10.0, -5.0 + 0.5 * static_cast<double>(i)), 1.0, 1e-14)
        << i;
  }
  EXPECT_EQ(log.values.front(), 1e-5);  // the ends exactly as written
  EXPECT_EQ(log.values.back(), 1e-1);
  EXPECT_TRUE(log.log_spaced);
  const auto linear = GridAxis::range("beta", 0.0, 1.0, 5, false, 1, "x");
  EXPECT_EQ(linear.values, (std::vector<double>{0.0, 0.25, 0.5, 0.75, 1.0}));
  EXPECT_FALSE(linear.log_spaced);
  EXPECT_EQ(GridAxis::range("lr", 0.5, 0.5, 1, false, 1, "x").values, std::vector<double>{0.5});
  const auto list = GridAxis::list("lr", {0.1, 0.01}, 1, "x");
  EXPECT_EQ(list.values, (std::vector<double>{0.1, 0.01}));  // in the order given
  EXPECT_FALSE(list.log_spaced);                             // one decade only
  EXPECT_TRUE(GridAxis::list("lr", {1e-3, 1e-1}, 1, "x").log_spaced);
}

TEST(ParameterGrid, ExpandsEachBlockIntoLabelledCombinations) {
  const auto c = parse(R"(
[[method]]
label = "M"
recipe = "m-signsgd"
lr = { log = [1e-3, 1e-1], points = 3 }
beta = [0.5, 0.9]
[[method]]
label = "plain"
recipe = "sgd"
lr = 0.1
)");
  ASSERT_EQ(c.methods.size(), 7u);
  ASSERT_EQ(c.blocks.size(), 2u);
  EXPECT_EQ(c.blocks[0].label, "M");
  EXPECT_EQ(c.blocks[0].methods, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(c.blocks[1].methods, std::vector<std::size_t>{6});
  EXPECT_TRUE(c.blocks[1].axes.empty());
  // Parameters in name order (beta, lr), the last varying fastest.
  const std::vector<std::string> labels{"M [beta=0.5 lr=0.001]", "M [beta=0.5 lr=0.01]",
                                        "M [beta=0.5 lr=0.1]",   "M [beta=0.9 lr=0.001]",
                                        "M [beta=0.9 lr=0.01]",  "M [beta=0.9 lr=0.1]"};
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const MethodConfig& m = c.methods[i];
    EXPECT_EQ(m.label, labels[i]);
    EXPECT_EQ(m.block, 0u);
    ASSERT_EQ(m.grid_point.size(), 2u);
    EXPECT_EQ(m.grid_point[0].first, "beta");
    EXPECT_EQ(m.grid_point[0].second, i < 3 ? 0.5 : 0.9);
    EXPECT_EQ(m.params.at("beta").number(), m.grid_point[0].second);
    EXPECT_NEAR(m.params.at("lr").number(), std::pow(10.0, -3.0 + static_cast<double>(i % 3)),
                1e-15);
    EXPECT_TRUE(m.grid.empty());
  }
  EXPECT_EQ(c.methods[6].label, "plain");
  EXPECT_TRUE(c.methods[6].grid_point.empty());
  EXPECT_EQ(c.methods[6].block, 1u);
  EXPECT_EQ(grid_columns(c), (std::vector<std::string>{"beta", "lr"}));
  EXPECT_EQ(grid_cells(c, grid_columns(c), 0), ",0.5,0.001");
  // A method without the parameter in its config: an empty cell; with a fixed number: that number.
  EXPECT_EQ(grid_cells(c, grid_columns(c), 6), ",,0.1");
  EXPECT_EQ(planned_runs(c), 14);
}

TEST(ParameterGrid, LabelsTakeAsManyDigitsAsTheValuesNeed) {
  const auto c = parse(R"(
[[method]]
recipe = "sgd"
lr = [0.1, 0.1001, 0.2]
)");
  ASSERT_EQ(c.methods.size(), 3u);
  EXPECT_EQ(c.methods[0].label, "sgd [lr=0.1]");
  EXPECT_EQ(c.methods[1].label, "sgd [lr=0.1001]");
  EXPECT_EQ(c.methods[2].label, "sgd [lr=0.2]");
}

TEST(ParameterGrid, SweptParametersAreColumnsOfTracesRunsAndSummary) {
  TempDir dir;
  const auto c = parse(R"(
[[method]]
label = "GD"
recipe = "sgd"
lr = [0.1, 0.5]
[[method]]
label = "other"
recipe = "signsgd"
lr = 0.01
)");
  RunOptions o;
  o.output = dir.path();
  o.progress = false;
  o.threads = 1;
  const auto result = run_experiment(c, o);
  write_report(dir.path(), c, result, false);
  EXPECT_EQ(first_line(dir / "traces.csv").rfind("method,lr,seed,iteration,train_loss,", 0), 0u);
  EXPECT_EQ(first_line(dir / "runs.csv").rfind("method,lr,seed,status,", 0), 0u);
  EXPECT_EQ(first_line(dir / "summary.csv"), "method,lr,section,metric,statistic,value");
  std::ifstream in(dir / "traces.csv");
  std::string line;
  std::getline(in, line);
  std::set<std::string> starts;
  while (std::getline(in, line))
    starts.insert(line.substr(0, line.find(',', line.find(',') + 1) + 2));
  EXPECT_EQ(starts,
            (std::set<std::string>{"GD [lr=0.1],0.1,0", "GD [lr=0.1],0.1,1", "GD [lr=0.5],0.5,0",
                                   "GD [lr=0.5],0.5,1", "other,0.01,0", "other,0.01,1"}));
  // `signopt plot` reads the swept columns as identity, not as metrics.
  const TraceTable table = read_trace_table(dir / "traces.csv");
  EXPECT_EQ(table.metrics, result.schema.metric_names());
  EXPECT_EQ(table.methods.size(), 3u);
  // Without grids the files keep their columns.
  TempDir plain;
  const auto p = parse("[[method]]\nrecipe = \"sgd\"\nlr = 0.1\n");
  o.output = plain.path();
  write_report(plain.path(), p, run_experiment(p, o), false);
  EXPECT_EQ(first_line(plain / "traces.csv").rfind("method,seed,iteration,", 0), 0u);
  EXPECT_EQ(first_line(plain / "summary.csv"), "method,section,metric,statistic,value");
}

TEST(ParameterGrid, BadGridsAreErrorsNamingTheKey) {
  const std::string m = "[[method]]\nrecipe = \"m-signsgd\"\n";  // line 7 of the config
  expect_error(m + "lr = []\n", {"study.toml:9: method.lr", "no points"});
  expect_error(m + "lr = { log = [0.0, 0.1], points = 3 }\n",
               {"study.toml:9: method.lr", "positive ends"});
  expect_error(m + "lr = { log = [-1e-3, 0.1], points = 3 }\n", {"method.lr", "positive ends"});
  expect_error(m + "lr = { linear = [0.1, 0.2], points = 0 }\n",
               {"method.lr", "points = 0", "at least one point"});
  expect_error(m + "lr = { linear = [0.1, 0.2], points = -2 }\n",
               {"method.lr", "at least one point"});
  expect_error(m + "lr = { linear = [0.1, 0.2], points = 1 }\n",
               {"method.lr", "points = 1 cannot span"});
  expect_error(m + "lr = { linear = [0.2, 0.1], points = 3 }\n", {"method.lr", "increasing"});
  expect_error(m + "lr = { linear = [0.1, 0.2] }\n", {"method.lr", "needs points"});
  expect_error(m + "lr = { log = [0.1, 0.2], linear = [0.1, 0.2], points = 2 }\n",
               {"method.lr", "exactly one"});
  expect_error(m + "lr = { log = [0.1, 0.2], steps = 2 }\n",
               {"study.toml:9", "unknown key 'steps'"});
  expect_error(m + "lr = [0.1, 0.1]\n", {"method.lr", "twice"});
  expect_error(m + "lr = [0.1, \"theory\"]\n", {"study.toml:9: method.lr", "numbers only"});
  expect_error("[[method]]\nrecipe = \"sgd\"\nschedule = [\"constant\", \"step\"]\n",
               {"method.schedule", "numbers only"});
  expect_error(m + "iterations = [10, 20]\n", {"method.iterations", "not for iterations"});
  expect_error(m + "workers = [2, 4]\n", {"method.workers", "not for workers"});
  expect_error(m + "seed = [1, 2]\n", {"method.seed", "output column"});
  expect_error(m + "lr = { log = [1e-6, 1.0], points = 20000 }\n",
               {"method.lr", "more than 10000"});
}

TEST(ParameterGrid, AGridTheRecipeDoesNotAcceptFailsNamingTheCombination) {
  TempDir dir;
  RunOptions o;
  o.output = dir.path();
  o.progress = false;
  for (const auto& [grid, fragment] : {std::pair{"foo = [1, 2]", "method 'sgd [foo=1]'"},
                                       std::pair{"lr = [0.1, -1.0]", "method 'sgd [lr=-1]'"}}) {
    const auto c = parse(std::string("[[method]]\nrecipe = \"sgd\"\n") + grid + "\n");
    try {
      (void)run_experiment(c, o);
      FAIL() << grid;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
    EXPECT_FALSE(std::filesystem::exists(dir / "runs"));
  }
}

TEST(ParameterGrid, MaxRunsBoundsTheRunsBeforeAnyRun) {
  const std::string methods = R"(
[[method]]
recipe = "sgd"
lr = { log = [1e-3, 1e-1], points = 3 }
beta = [0.1, 0.2]
)";
  // 6 combinations × 2 seeds = 12 runs.
  EXPECT_EQ(*parse(methods, "max_runs = 12\n").max_runs, 12);
  expect_error(methods, {"study.toml:4: max_runs = 11", "12 runs", "6 methods"}, "max_runs = 11\n");
  expect_error(methods, {"max_runs", "≥ 1"}, "max_runs = 0\n");
}

}  // namespace
}  // namespace signopt::experiment
