// Issue 20's findings at the command line: the output directory holds only the new study's
// files and never loses the user's, sizes beyond the stated limits are refused with the key or
// flag named, and --resume notices changed inputs and damaged run files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "test_support.hpp"

namespace signopt {
namespace {

namespace fs = std::filesystem;
using testing::run_cli;
using testing::TempDir;

// A study whose m-signsgd run writes a theory check (theory_check.md and its plot).
const char* kWithTheoryCheck = R"(
seeds = 2
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
)";

// Another study, without a theory check.
const char* kWithout = R"(
seeds = 2
iterations = 20
[problem]
type = "quadratic"
dim = 3
[noise]
model = "gaussian"
scale = 0.1
[[method]]
recipe = "sgd"
lr = 0.01
)";

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void put(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

TEST(RunHardeningCli, ReusedDirectoryHoldsOnlyTheNewStudyAndTheUsersFiles) {
  TempDir dir;
  const auto first = dir.write("first.toml", kWithTheoryCheck);
  const auto second = dir.write("second.toml", kWithout);
  const auto out = dir / "out";
  auto r = run_cli("run " + first.string() + " --out " + out.string() + " --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(fs::exists(out / "theory_check.md"));
  ASSERT_TRUE(fs::exists(out / "runs/m000-s1.json"));
  const std::string list = slurp(out / ".signopt-outputs");
  for (const char* f : {"theory_check.md", "runs/m000-s0.csv", "plots/train_loss.png", "summary.md"}) {
    EXPECT_NE(list.find(std::string(f) + "\n"), std::string::npos) << f << "\n" << list;
  }
  put(out / "notes.txt", "the user's notes");
  put(out / "runs/notes.txt", "more notes");
  r = run_cli("run " + second.string() + " --out " + out.string() + " --quiet --seeds 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(out / "theory_check.md"));  // the first study's
  EXPECT_FALSE(fs::exists(out / "plots/theory_check.png"));
  EXPECT_FALSE(fs::exists(out / "runs/m000-s1.json"));  // the first study had two seeds
  EXPECT_TRUE(fs::exists(out / "runs/m000-s0.json"));
  EXPECT_TRUE(fs::exists(out / "plots/train_loss.png"));
  EXPECT_EQ(slurp(out / "notes.txt"), "the user's notes");
  EXPECT_EQ(slurp(out / "runs/notes.txt"), "more notes");
}

TEST(RunHardeningCli, ACachedReferenceSolveStaysWithTheStudyThatReusesIt) {
  TempDir dir;
  const auto config = dir.write("l.toml", "seeds = 1\niterations = 5\n[problem]\ntype = \"logistic-regression\"\n"
                                          "data = \"" + testing::mushrooms_path().string() +
                                          "\"\nlambda = 1\ntrain_limit = 200\n[[method]]\nrecipe = \"sgd\"\n");
  const auto out = dir / "out";
  const std::string run = "run " + config.string() + " --out " + out.string() + " --quiet --no-plots";
  ASSERT_EQ(run_cli(run).exit_code, 0);
  std::vector<fs::path> cached;
  for (const auto& e : fs::directory_iterator(out)) {
    if (e.path().extension() == ".npy" || e.path().filename().string().find("optimum") != std::string::npos) {
      cached.push_back(e.path());
    }
  }
  ASSERT_FALSE(cached.empty());
  const auto r = run_cli(run);  // a fresh run of the same problem: the solve is reused
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto& f : cached) EXPECT_TRUE(fs::exists(f)) << f;
}

TEST(RunHardeningCli, ADirectorySignoptDidNotWriteIsRefusedUnlessForced) {
  TempDir dir;
  const auto config = dir.write("q.toml", kWithout);
  // The config's own folder holds a file: not an output directory.
  auto r = run_cli("run " + config.string() + " --out " + dir.path().string() + " --quiet --no-plots");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("holds files but was not written by signopt"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "runs"));
  r = run_cli("run " + config.string() + " --out " + dir.path().string() + " --quiet --no-plots --force");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(config));
  EXPECT_TRUE(fs::exists(dir / "summary.csv"));
}

TEST(RunHardeningCli, EmptyOutputKeyIsAnErrorNamingIt) {
  TempDir dir;
  const auto config = dir.write("q.toml", std::string("output = \"\"\n") + kWithout);
  const auto r = run_cli("run " + config.string() + " --quiet");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(config.string() + ":1: output: is empty"), std::string::npos) << r.err;
}

TEST(RunHardeningCli, SizesBeyondTheLimitsAreRefusedNamingTheKeyOrFlag) {
  TempDir dir;
  struct Case {
    std::string config, flags, message;
  };
  const std::string body = "[problem]\ntype = \"quadratic\"\ndim = 3\n[[method]]\nrecipe = \"sgd\"\nlr = 0.1\n";
  const std::vector<Case> cases{
      {"iterations = 1000000000000\n" + body, "", ":1: iterations = 1000000000000 exceeds the limit of 1000000000"},
      {"seeds = 10000000\n" + body, "", ":1: seeds = 10000000 exceeds the limit of 1000000"},
      {"iterations = 100\n" + body, "--seeds 10000000", "--seeds"},
      {body + "workers = 100000\n", "", ":7: method.workers = 100000 exceeds the limit of 4096"},
      {body, "--workers 100000", "--workers"},
      {"[problem]\ntype = \"quadratic\"\ndim = 1000000000\n[[method]]\nrecipe = \"sgd\"\n", "",
       ":3: problem.dim = 1000000000 exceeds the limit of 16777216"},
      {"[problem]\ntype = \"mlp\"\ndata = \"x.svm\"\nhidden = [8, 1e300]\n[[method]]\nrecipe = \"sgd\"\n", "",
       ":4: problem.hidden = 1e+300 exceeds the limit of 65536"},
      // Each size within its limit, together beyond the memory limit: refused before any run.
      {"seeds = 1000000\niterations = 1000000\n" + body, "--max-memory 1",
       "more than the limit of 1.0 GiB (--max-memory)"},
  };
  for (const auto& c : cases) {
    const auto config = dir.write("big.toml", c.config);
    const auto r = run_cli("run " + config.string() + " --out " + (dir / "o").string() + " --quiet --no-plots " +
                           c.flags);
    EXPECT_EQ(r.exit_code, 2) << c.config << c.flags << "\n" << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.message << "\n" << r.err;
    EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
  }
}

TEST(RunHardeningCli, LibsvmIndexOfABillionIsRefusedWithoutAllocating) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 1000; ++i) text += (i % 2 ? "1 1:0.5 2:1\n" : "-1 2:0.25\n");
  text += "1 1000000000:1\n";
  const auto data = dir.write("big-index.svm", text);
  EXPECT_LT(fs::file_size(data), 22000u);
  const auto config = dir.write("l.toml", "[problem]\ntype = \"logistic-regression\"\ndata = \"" + data.string() +
                                              "\"\n[[method]]\nrecipe = \"sgd\"\n");
  auto r = run_cli("run " + config.string() + " --out " + (dir / "o").string() + " --quiet --no-plots");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(data.string() + ":1001:3: feature index 1000000000 exceeds the limit"), std::string::npos)
      << r.err;
  put(dir / "max.svm", "1 9223372036854775807:1\n");
  r = run_cli("data info " + (dir / "max.svm").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("exceeds the limit"), std::string::npos) << r.err;
}

TEST(RunHardeningCli, ResumeChecksTheDataAndTheRunFiles) {
  TempDir dir;
  std::string rows;
  for (int i = 0; i < 40; ++i) rows += (i % 2 ? "1 1:0.5 2:1\n" : "-1 2:0.25 3:1\n");
  const auto data = dir.write("d.svm", rows);
  const auto config = dir.write("l.toml", "seeds = 3\niterations = 10\n[problem]\ntype = \"logistic-regression\"\n"
                                          "data = \"" + data.string() + "\"\n[[method]]\nrecipe = \"sgd\"\nlr = 0.1\n");
  const auto out = dir / "out";
  const std::string run = "run " + config.string() + " --out " + out.string() + " --no-plots";
  ASSERT_EQ(run_cli(run).exit_code, 0);
  auto r = run_cli(run + " --resume");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("3 runs (3 resumed)"), std::string::npos) << r.out;
  // The data file changed: nothing is reused.
  put(data, rows + "1 1:2\n");
  r = run_cli(run + " --resume");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("3 runs (0 resumed)"), std::string::npos) << r.out;
  // A trace cut at a line boundary is an error naming it, not a shorter trace.
  std::string csv = slurp(out / "runs/m000-s1.csv");
  csv.erase(csv.rfind('\n', csv.size() - 2) + 1);
  put(out / "runs/m000-s1.csv", csv);
  r = run_cli(run + " --resume");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find((out / "runs/m000-s1.csv").string() + ": its checksum"), std::string::npos) << r.err;
  // A damaged run file is an error naming it.
  put(out / "runs/m000-s0.json", "{\"config_digest\": ");
  r = run_cli(run + " --resume");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find((out / "runs/m000-s0.json").string() + ": damaged run file"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
  // A fresh run replaces them; a killed process's temporary file goes too.
  put(out / "runs/m000-s2.json.tmp.999999999", "{");
  ASSERT_EQ(run_cli(run).exit_code, 0);
  EXPECT_FALSE(fs::exists(out / "runs/m000-s2.json.tmp.999999999"));
}

TEST(RunHardeningCli, ProblemErrorsFoundWhileBuildingNameTheConfig) {
  TempDir dir;
  const auto data = dir.write("three.svm", "1 1:1 2:3\n2 1:1\n3 2:1\n");
  const auto config = dir.write("s.toml", "[problem]\ntype = \"softmax\"\ndata = \"" + data.string() +
                                              "\"\ntest_fraction = 0.9\n[[method]]\nrecipe = \"sgd\"\n");
  const auto r = run_cli("run " + config.string() + " --out " + (dir / "o").string() + " --quiet --no-plots");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(config.string() + ": [problem]: a test fraction of 0.9 leaves no training rows"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace signopt
