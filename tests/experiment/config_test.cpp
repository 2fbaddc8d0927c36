#include "signopt/experiment/config.hpp"

#include <gtest/gtest.h>

#include "signopt/core/error.hpp"

namespace signopt::experiment {
namespace {

const char* kMinimal = R"(
iterations = 50
seeds = 3
[problem]
type = "quadratic"
dim = 4
[[method]]
recipe = "sgd"
lr = 0.1
)";

void expect_error(const std::string& text, std::initializer_list<std::string> fragments) {
  try {
    (void)parse_config(text, "study.toml");
    FAIL() << "no error for:\n" << text;
  } catch (const Error& e) {
    for (const auto& f : fragments) EXPECT_NE(std::string(e.what()).find(f), std::string::npos) << e.what();
  }
}

TEST(Config, ParsesAMinimalConfigWithDefaults) {
  const auto c = parse_config(kMinimal, "study.toml");
  EXPECT_EQ(c.name, "study");
  EXPECT_EQ(c.iterations, 50);
  EXPECT_EQ(c.seeds, 3);
  EXPECT_EQ(c.problem.type, "quadratic");
  EXPECT_EQ(c.noise.model, "none");
  EXPECT_EQ(c.oracle.sampling, Sampling::Full);
  ASSERT_EQ(c.methods.size(), 1u);
  EXPECT_EQ(c.methods[0].label, "sgd");
  EXPECT_DOUBLE_EQ(c.methods[0].params.at("lr").number(), 0.1);
  EXPECT_EQ(c.output, "results/study");
}

TEST(Config, ShippedConfigsParse) {
  for (const char* name : {"mushrooms", "quartic", "mushrooms-minibatch"}) {
    const auto c = load_config(std::string(SIGNOPT_SOURCE_DIR) + "/configs/" + name + ".toml");
    EXPECT_FALSE(c.methods.empty()) << name;
  }
  const auto seed = load_config(std::string(SIGNOPT_SOURCE_DIR) + "/configs/mushrooms.toml");
  EXPECT_EQ(seed.iterations, 1000);
  EXPECT_GE(seed.seeds, 10);
  EXPECT_EQ(seed.noise.model, "alpha-stable");
  EXPECT_DOUBLE_EQ(seed.noise.parameters.at("alpha"), 1.5);
  EXPECT_DOUBLE_EQ(seed.noise.parameters.at("scale"), 0.1);
  EXPECT_DOUBLE_EQ(seed.problem.test_fraction, 0.2);
  EXPECT_DOUBLE_EQ(seed.problem.lambda, 1.0);
}

TEST(Config, EvaluationSchedules) {
  auto c = parse_config(kMinimal, "s.toml");
  c.evaluation.every = 20;
  EXPECT_EQ(c.evaluation_iterations(), (std::vector<Index>{0, 20, 40, 50}));
  c.evaluation.log_points = 5;
  const auto its = c.evaluation_iterations();
  EXPECT_EQ(its.front(), 0);
  EXPECT_EQ(its.back(), 50);
  EXPECT_TRUE(std::is_sorted(its.begin(), its.end()));
}

TEST(Config, UnknownKeysNameTheLineAndTheValidKeys) {
  expect_error(std::string(kMinimal) + "\n[oracle]\nsampling = \"full\"\nbatchsize = 4\n",
               {"study.toml:13", "unknown key 'batchsize' in [oracle]", "valid keys: sampling, batch"});
  expect_error("iterationz = 5\n", {"study.toml:1", "unknown key 'iterationz'"});
}

TEST(Config, WrongTypesAndImpossibleValues) {
  expect_error("iterations = \"ten\"\n[problem]\ntype=\"quartic\"\ndim=2\n[[method]]\nrecipe=\"sgd\"\n",
               {"study.toml:1", "iterations", "expected an integer, found a string"});
  expect_error("iterations = 0\n", {"iterations", "must be an integer ≥ 1"});
  expect_error(std::string(kMinimal) + "[theory]\nkappa = 2.5\n", {"theory.kappa", "(1, 2]"});
  expect_error(std::string(kMinimal) + "[summary]\ndelta = 1.5\n", {"summary.delta"});
  expect_error("[problem]\ntype = \"nonsense\"\n", {"unknown problem 'nonsense'", "logistic-regression"});
  expect_error("[problem]\ntype = \"quartic\"\n[[method]]\nrecipe=\"sgd\"\n", {"problem.dim", "required"});
  expect_error("[problem]\ntype = \"logistic-regression\"\n", {"problem.data", "required"});
  expect_error("[problem]\ntype = \"quartic\"\ndim = 3\n", {"[[method]]"});
  expect_error(std::string(kMinimal) + "[[method]]\nrecipe = \"sgd\"\n", {"labelled 'sgd'", "unique"});
  expect_error(std::string(kMinimal) + "[oracle]\nsampling = \"sometimes\"\n", {"oracle.sampling", "unknown sampling"});
  expect_error("x = [1,\n", {"study.toml:", "TOML syntax error"});
}

TEST(Config, StartingPoints) {
  auto with_start = [](const std::string& start) {
    return parse_config("[problem]\ntype = \"quartic\"\ndim = 3\nstart = " + start +
                            "\n[[method]]\nrecipe = \"sgd\"\n",
                        "study.toml");
  };
  EXPECT_EQ(parse_config(kMinimal, "s.toml").problem.start.kind, StartConfig::Kind::ProblemDefault);
  EXPECT_EQ(with_start("\"zeros\"").problem.start.kind, StartConfig::Kind::Zeros);
  const auto constant = with_start("3.5").problem.start;
  EXPECT_EQ(constant.kind, StartConfig::Kind::Constant);
  EXPECT_DOUBLE_EQ(constant.value, 3.5);
  const auto normal = with_start("{ distribution = \"normal\", mean = 1.0, std = 2.0 }").problem.start;
  EXPECT_EQ(normal.kind, StartConfig::Kind::Normal);
  EXPECT_DOUBLE_EQ(normal.mean, 1.0);
  EXPECT_DOUBLE_EQ(normal.std, 2.0);
  const auto file = with_start("\"x0.npy\"").problem.start;
  EXPECT_EQ(file.kind, StartConfig::Kind::File);
  EXPECT_EQ(file.file, "x0.npy");
  EXPECT_EQ(with_start("{ file = \"x0.csv\" }").problem.start.kind, StartConfig::Kind::File);
  auto quartic = [](const std::string& start) {
    return "[problem]\ntype = \"quartic\"\ndim = 3\nstart = " + start + "\n[[method]]\nrecipe = \"sgd\"\n";
  };
  expect_error(quartic("\"ones\""), {"study.toml:4", "problem.start", "unknown start 'ones'"});
  expect_error(quartic("{ distribution = \"normal\", std = 0.0 }"), {"problem.start", "std must be > 0"});
  expect_error(quartic("{ distribution = \"cauchy\" }"), {"unknown distribution 'cauchy'"});
  expect_error(quartic("{ distribution = \"normal\", sigma = 1.0 }"), {"unknown key 'sigma'"});
  expect_error(quartic("[1, 2]"), {"problem.start", "expected"});
}

TEST(Config, KeysAProblemDoesNotUseAreErrors) {
  expect_error(
      "[problem]\ntype = \"logistic-regression\"\ndata = \"d.libsvm\"\nhidden = [8]\n[[method]]\nrecipe = \"sgd\"\n",
      {"study.toml:4", "problem.hidden", "does not apply to logistic-regression"});
  expect_error("[problem]\ntype = \"quartic\"\ndim = 3\nlambda = 1.0\n[[method]]\nrecipe = \"sgd\"\n",
               {"problem.lambda", "does not apply to quartic"});
  expect_error("[problem]\ntype = \"quartic\"\ndim = 3\nintercept = true\n[[method]]\nrecipe = \"sgd\"\n",
               {"problem.intercept", "does not apply to quartic"});
  expect_error(std::string(kMinimal) + "[oracle]\nsampling = \"full\"\nbatch = 8\n",
               {"oracle.batch", "does not apply to sampling = \"full\""});
  // Minibatch sampling takes a batch.
  const auto c = parse_config(std::string(kMinimal) + "[oracle]\nsampling = \"with-replacement\"\nbatch = 8\n", "s.toml");
  EXPECT_EQ(c.oracle.batch, 8);
  const auto lr = parse_config(
      "[problem]\ntype = \"logistic-regression\"\ndata = \"d.libsvm\"\nintercept = true\n[[method]]\nrecipe = \"sgd\"\n",
      "s.toml");
  EXPECT_TRUE(lr.problem.intercept);
}

TEST(Config, MethodsMayOverrideIterationsNoiseAndStart) {
  const auto c = parse_config(std::string(kMinimal) + R"(
[noise]
model = "gaussian"
scale = 1.0
[[method]]
label = "long"
recipe = "sgd"
iterations = 80
start = "zeros"
[method.noise]
model = "student-t"
nu = 1.5
scale = 0.5
)",
                              "s.toml");
  ASSERT_EQ(c.methods.size(), 2u);
  EXPECT_TRUE(c.has_method_overrides());
  EXPECT_EQ(c.iterations_of(0), 50);
  EXPECT_EQ(c.iterations_of(1), 80);
  EXPECT_EQ(c.max_iterations(), 80);
  EXPECT_EQ(c.noise_of(0).model, "gaussian");
  EXPECT_EQ(c.noise_of(1).model, "student-t");
  EXPECT_DOUBLE_EQ(c.noise_of(1).parameters.at("nu"), 1.5);
  EXPECT_EQ(c.start_of(0).kind, StartConfig::Kind::ProblemDefault);
  EXPECT_EQ(c.start_of(1).kind, StartConfig::Kind::Zeros);
  EXPECT_EQ(c.evaluation_iterations(c.iterations_of(1)).back(), 80);
  EXPECT_FALSE(parse_config(kMinimal, "s.toml").has_method_overrides());
  expect_error(std::string(kMinimal) + "[[method]]\nlabel = \"x\"\nrecipe = \"sgd\"\niterations = 0\n",
               {"method.iterations", "≥ 1"});
  expect_error(std::string(kMinimal) + "[[method]]\nlabel = \"x\"\nrecipe = \"sgd\"\nnoise = \"gaussian\"\n",
               {"method.noise must be a table"});
}

}  // namespace
}  // namespace signopt::experiment
