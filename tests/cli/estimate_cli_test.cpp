#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace signopt {
namespace {

using testing::run_cli;
using testing::TempDir;

const char* kQuartic = R"(
name = "quartic-estimate"
seed = 3
seeds = 4
iterations = 60
[problem]
type = "quartic"
dim = 5
[noise]
model = "student-t"
nu = 1.5
scale = 1.0
[theory]
kappa = 1.2
[[method]]
label = "GD"
recipe = "sgd"
lr = 0.001
[[method]]
label = "SignSGD"
recipe = "signsgd"
lr = 0.01
)";

TEST(EstimateCli, SmoothnessWritesPairsFitsAndPlot) {
  TempDir dir;
  const auto config = dir.write("q.toml", kQuartic);
  const auto out = dir / "est";
  const auto r = run_cli("estimate smoothness " + config.string() + " --out " + out.string() +
                         " --seeds 2 --steps 40 --alphas 0.5 0.9");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* text : {"envelope, all pairs", "analytic", "1.77778", "L0", "L1", "160 pairs"}) {
    EXPECT_NE(r.out.find(text), std::string::npos) << text << "\n" << r.out;
  }
  for (const char* f : {"smoothness_pairs.csv", "smoothness_fit.json", "plots/smoothness.png",
                        "plots/smoothness.svg", "plots/smoothness.gp"}) {
    EXPECT_TRUE(std::filesystem::exists(out / f)) << f;
  }
  std::ifstream in(out / "smoothness_fit.json");
  const auto js = nlohmann::json::parse(in);
  EXPECT_EQ(js.at("pairs").get<int>(), 2 * 2 * 40 * 2);
  EXPECT_EQ(js.at("analytic").at("L1").get<double>(), 3.0);
  EXPECT_GE(js.at("fit").at("L0").get<double>(), 0.0);
}

// α-stable noise with α = 1.9: κ = 2 is ruled out by the block-sum estimate (Hill alone reads above
// 2), so no σ is printed for it; without --kappa, κ is chosen below the lower estimate.
TEST(EstimateCli, NoSigmaForAKappaTheTailIndexRulesOut) {
  TempDir dir;
  std::string text = kQuartic;
  text.replace(text.find("model = \"student-t\"\nnu = 1.5"), 28,
               "model = \"alpha-stable\"\nalpha = 1.9");
  text.replace(text.find("[theory]\nkappa = 1.2\n"), 21, "");
  text.replace(text.find("dim = 5"), 7, "dim = 20");  // 20 coordinates: the median is precise
  const auto config = dir.write("s.toml", text);
  const auto out = dir / "est";
  const auto ruled = run_cli("estimate noise " + config.string() + " --out " + out.string() +
                             " --samples 20000 --kappa 2 --no-plots");
  ASSERT_EQ(ruled.exit_code, 0) << ruled.err;
  for (const char* t : {"block sums", "not reported", "κ = 2 is not below"}) {
    EXPECT_NE(ruled.out.find(t), std::string::npos) << t << "\n" << ruled.out;
  }
  EXPECT_EQ(ruled.out.find("‖σ⃗‖_κ ="), std::string::npos) << ruled.out;
  {
    std::ifstream in(out / "noise_summary.json");
    const auto js = nlohmann::json::parse(in);
    EXPECT_TRUE(js.at("points")[0].at("sigma").is_null());
  }
  const auto chosen = run_cli("estimate noise " + config.string() + " --out " + out.string() +
                              " --samples 20000 --no-plots");
  ASSERT_EQ(chosen.exit_code, 0) << chosen.err;
  EXPECT_NE(chosen.out.find("chosen below the lower tail estimate"), std::string::npos)
      << chosen.out;
  EXPECT_NE(chosen.out.find("‖σ⃗‖_κ ="), std::string::npos) << chosen.out;
  std::ifstream in(out / "noise_summary.json");
  const auto js = nlohmann::json::parse(in);
  EXPECT_LT(js.at("points")[0].at("kappa").get<double>(), 1.9);
}

TEST(EstimateCli, NoiseWritesCoordinatesSummaryAndPlots) {
  TempDir dir;
  const auto config = dir.write("q.toml", kQuartic);
  const auto out = dir / "est";
  const auto r = run_cli("estimate noise " + config.string() + " --out " + out.string() +
                         " --samples 4000 --hill-k 40 --at 0,20");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* text : {"iteration 0 (x¹)", "iteration 20 of the run of GD", "tail index α̂",
                           "k = 40", "κ = 1.2", "symmetry"}) {
    EXPECT_NE(r.out.find(text), std::string::npos) << text << "\n" << r.out;
  }
  for (const char* f :
       {"noise_coordinates.csv", "noise_summary.json", "plots/noise_histogram_k0.png",
        "plots/noise_tail_k0.svg", "plots/noise_tail_k20.png"}) {
    EXPECT_TRUE(std::filesystem::exists(out / f)) << f;
  }
  std::ifstream in(out / "noise_summary.json");
  const auto js = nlohmann::json::parse(in);
  ASSERT_EQ(js.at("points").size(), 2u);
  // Student-t with ν = 1.5 injected: the median Hill index is near 1.5 (k = 1% of 4000).
  EXPECT_NEAR(js.at("points")[0].at("tail_index").at("median").get<double>(), 1.5, 0.35);
}

TEST(EstimateCli, CheckAfterRun) {
  TempDir dir;
  const auto config = dir.write("c.toml", R"(
seeds = 8
iterations = 20
[problem]
type = "double-well"
dim = 4
[noise]
model = "gaussian"
scale = 0.5
[theory]
delta = 0.2
[[method]]
recipe = "m-signsgd"
lr = 0.001
beta = 0.9
)");
  const auto out = dir / "run";
  ASSERT_EQ(run_cli("run " + config.string() + " --out " + out.string() + " --quiet").exit_code, 0);
  std::filesystem::remove(out / "theory_check.md");
  const auto r = run_cli("estimate check " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("| m-signsgd | Theorem 2: in expectation | mean across seeds"),
            std::string::npos)
      << r.out;
  EXPECT_TRUE(std::filesystem::exists(out / "theory_check.md"));
}

TEST(EstimateCli, TheDistributedStudyIsAccepted) {
  TempDir dir;
  const auto config = (testing::source_dir() / "configs/mushrooms-distributed.toml").string();
  const auto s = run_cli("estimate smoothness " + config + " --out " + (dir / "s").string() +
                         " --seeds 1 --steps 10 --no-plots");
  ASSERT_EQ(s.exit_code, 0) << s.err;
  for (const char* label : {"MajorityVote-SignSGD M=16", "distributed SGD M=4", "top-k EF M=4"})
    EXPECT_NE(s.out.find(label), std::string::npos) << label << "\n" << s.out;
  const auto n = run_cli("estimate noise " + config + " --out " + (dir / "n").string() +
                         " --at 0,10 --samples 500 --method 'top-k EF M=4' --no-plots");
  ASSERT_EQ(n.exit_code, 0) << n.err;
}

// Every distributed recipe `run` accepts is accepted by the estimate subcommands, with the
// same per-recipe parameters; a key that does not apply to a recipe is refused by all of them.
TEST(EstimateCli, EveryDistributedRecipeThatRunAcceptsIsAccepted) {
  TempDir dir;
  std::string text = R"(
seeds = 1
iterations = 12
[problem]
type = "quadratic"
dim = 40
[noise]
model = "gaussian"
scale = 0.1
)";
  for (const char* recipe :
       {"distributed-sgd", "majority-vote-signsgd", "majority-vote-signum", "ef-signsgd",
        "scaled-sign", "top-k", "top-k-ef", "rand-k", "rand-k-ef", "qsgd", "qsgd-ef"}) {
    text += std::string("[[method]]\nrecipe = \"") + recipe + "\"\nworkers = 3\nlr = 0.01\n";
  }
  const auto config = dir.write("all.toml", text);
  const auto run = run_cli("run " + config.string() + " --out " + (dir / "run").string() +
                           " --quiet --no-plots");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto s = run_cli("estimate smoothness " + config.string() + " --out " +
                         (dir / "s").string() + " --steps 5 --no-plots");
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_NE(s.out.find("qsgd-ef"), std::string::npos) << s.out;
  // estimate check refuses the study for what it holds (no explicit bound), naming it.
  const auto c = run_cli("estimate check " + (dir / "run").string());
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.err.find("majority-vote-signsgd (distributed, M = 3)"), std::string::npos) << c.err;

  const auto bad = dir.write("bad.toml", R"(
iterations = 5
[problem]
type = "quadratic"
dim = 4
[[method]]
recipe = "majority-vote-signsgd"
workers = 2
lr = 0.01
levels = 3
)");
  for (const std::string cmd : {"run", "estimate smoothness"}) {
    const auto r = run_cli(cmd + " " + bad.string() + " --out " + (dir / "bad").string());
    EXPECT_EQ(r.exit_code, 2) << cmd;
    EXPECT_NE(
        r.err.find("has no parameter 'levels' (valid: lr, beta, adversaries, fault, fault_scale)"),
        std::string::npos)
        << cmd << "\n"
        << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "bad" / "summary.csv")) << cmd;
  }
}

TEST(EstimateCli, BadInputIsAnErrorWithExitCode2) {
  TempDir dir;
  const auto config = dir.write("q.toml", kQuartic);
  const std::string c = config.string() + " --out " + (dir / "o").string();
  struct Case {
    std::string args, message;
  };
  const std::vector<Case> cases{
      {"estimate smoothness " + (dir / "none.toml").string(), "no such config file"},
      {"estimate smoothness " + c + " --alphas 1.5", "alpha = 1.5"},
      {"estimate smoothness " + c + " --quantile 1", "--quantile"},
      {"estimate smoothness " + c + " --steps -3", "--steps"},
      {"estimate noise " + c + " --samples 5", "--samples"},
      {"estimate noise " + c + " --samples 100 --hill-k 100", "--hill-k"},
      {"estimate noise " + c + " --kappa 3", "--kappa"},
      {"estimate noise " + c + " --at 0,x", "--at"},
      {"estimate noise " + c + " --at 5 --method Adam", "--method 'Adam'"},
      {"estimate check " + (dir / "nothing").string(), "manifest.json"},
  };
  for (const auto& k : cases) {
    const auto r = run_cli(k.args);
    EXPECT_EQ(r.exit_code, 2) << k.args;
    EXPECT_NE(r.err.find(k.message), std::string::npos) << k.args << "\n" << r.err;
  }
  EXPECT_EQ(run_cli("estimate").exit_code, 2);  // a subcommand is required
  const auto help = run_cli("estimate --help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* s : {"smoothness", "noise", "check"})
    EXPECT_NE(help.out.find(s), std::string::npos);
}

}  // namespace
}  // namespace signopt
