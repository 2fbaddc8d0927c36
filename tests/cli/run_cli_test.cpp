#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "test_support.hpp"

namespace signopt {
namespace {

using testing::run_cli;
using testing::TempDir;

const char* kQuadratic = R"(
seeds = 2
iterations = 30
[problem]
type = "quadratic"
dim = 6
condition = 10
[noise]
model = "gaussian"
scale = 0.1
[[method]]
label = "SignSGD"
recipe = "signsgd"
lr = 0.01
)";

TEST(RunCli, HelpDocumentsEveryConfigSection) {
  const auto r = run_cli("run --help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* key : {"[problem]", "[noise]", "[oracle]", "[evaluation]", "[theory]", "[summary]",
                          "[[method]]", "output_point", "max_loss", "--resume", "--seeds", "--threads",
                          "--no-plots"}) {
    EXPECT_NE(r.out.find(key), std::string::npos) << key;
  }
}

TEST(RunCli, RunsAndWritesOutputs) {
  TempDir dir;
  const auto config = dir.write("q.toml", kQuadratic);
  const auto out = dir / "out";
  const auto r = run_cli("run " + config.string() + " --out " + out.string() + " --seeds 3 --threads 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("| SignSGD | 3 (0) |"), std::string::npos) << r.out;
  EXPECT_TRUE(std::filesystem::exists(out / "plots/train_loss.png"));
  // signopt plot re-renders from the CSV files.
  std::filesystem::remove(out / "plots/train_loss.png");
  const auto p = run_cli("plot " + out.string());
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_TRUE(std::filesystem::exists(out / "plots/train_loss.png"));
  EXPECT_EQ(run_cli("plot " + (dir / "nothing").string()).exit_code, 2);
}

TEST(RunCli, NoPlotsWritesTheTablesOnly) {
  TempDir dir;
  const auto config = dir.write("q.toml", kQuadratic);
  const auto out = dir / "out";
  const auto r = run_cli("run " + config.string() + " --out " + out.string() + " --no-plots");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("signopt plot"), std::string::npos) << r.out;
  for (const char* file : {"traces.csv", "bands.csv", "summary.md", "manifest.json"}) {
    EXPECT_TRUE(std::filesystem::exists(out / file)) << file;
  }
  EXPECT_FALSE(std::filesystem::exists(out / "plots"));
}

TEST(RunCli, BadConfigFailsWithOneMessageAndNoOutput) {
  TempDir dir;
  const auto config = dir.write("bad.toml", std::string(kQuadratic) + "[noise]\n");
  auto r = run_cli("run " + config.string() + " --out " + (dir / "out").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.toml"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
  const auto typo = dir.write("typo.toml", "itrations = 3\n" + std::string(kQuadratic));
  r = run_cli("run " + typo.string() + " --out " + (dir / "out").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown key 'itrations'"), std::string::npos) << r.err;
  r = run_cli("run " + (dir / "missing.toml").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no such config file"), std::string::npos);
  const auto bad_param = dir.write("p.toml", std::string(kQuadratic) + "beta = 0.5\n");
  r = run_cli("run " + bad_param.string() + " --out " + (dir / "out").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("beta"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "out" / "traces.csv"));
}

TEST(RunCli, InterruptLeavesNoHalfWrittenFile) {
  TempDir dir;
  const auto config = dir.write("long.toml", R"(
seeds = 40
iterations = 200000
[problem]
type = "quadratic"
dim = 200
[noise]
model = "gaussian"
[[method]]
recipe = "signsgd"
lr = 0.001
)");
  const auto out = dir / "out";
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    execl(SIGNOPT_CLI_PATH, SIGNOPT_CLI_PATH, "run", config.c_str(), "--out", out.c_str(), "--quiet",
          "--threads", "2", static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_FALSE(std::filesystem::exists(out / "traces.csv"));
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path())) {
    EXPECT_EQ(entry.path().string().find(".tmp."), std::string::npos) << entry.path();
  }
}

const char* kDistributed = R"(
seeds = 1
iterations = 5
[problem]
type = "quadratic"
dim = 6
[noise]
model = "gaussian"
scale = 0.1
[[method]]
label = "vote M=1"
recipe = "majority-vote-signsgd"
lr = 0.01
workers = 1
[[method]]
label = "vote M=3"
recipe = "majority-vote-signsgd"
lr = 0.01
workers = 3
)";

TEST(RunCli, MpiBackendWithoutAnMpiLaunchIsRefused) {
  TempDir dir;
  const auto config = dir.write("d.toml", kDistributed);
  const auto r = run_cli("run " + config.string() + " --out " + (dir / "out").string() + " --backend mpi --quiet");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--backend mpi needs an MPI launch"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "out" / "summary.md"));
}

TEST(RunCli, WorkersOverrideIsStatedInTheLabels) {
  TempDir dir;
  const auto config = dir.write("d.toml", kDistributed);
  const auto r = run_cli("run " + config.string() + " --out " + (dir / "out").string() +
                         " --workers 2 --no-plots --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(dir / "out" / "traces.csv");
  const std::string traces((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(traces.find("vote M=1 (run at M=2 by --workers),"), std::string::npos);
  EXPECT_NE(traces.find("vote M=3 (run at M=2 by --workers),"), std::string::npos);
  EXPECT_EQ(traces.find("\nvote M=3,"), std::string::npos);
}

TEST(RunCli, AnEmptyOutIsAnError) {
  TempDir dir;
  const auto config = dir.write("q.toml", kQuadratic);
  const auto r = run_cli("run " + config.string() + " --out '' --quiet");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--out: the output directory name is empty"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace signopt
