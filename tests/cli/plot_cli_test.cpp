// signopt plot: cost axes, steering options and several studies, through the command line.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "test_support.hpp"

namespace signopt {
namespace {

using testing::run_cli;
using testing::TempDir;

// A quadratic (no data: no epochs column) with a single-process method and a simulated
// distributed one.
const char* kStudy = R"(
seeds = 2
iterations = 20
[problem]
type = "quadratic"
dim = 6
condition = 10
[noise]
model = "gaussian"
scale = 0.1
[evaluation]
every = 5
[[method]]
label = "SignSGD"
recipe = "signsgd"
lr = 0.01
[[method]]
label = "majority vote M=3"
recipe = "majority-vote-signsgd"
workers = 3
lr = 0.01
)";

TEST(PlotCli, CostAxesStudiesSideBySideAndWhatCannotBeDrawn) {
  TempDir dir;
  const std::string config = dir.write("s.toml", kStudy).string();
  const std::string a = (dir.path() / "a").string(), b = (dir.path() / "b").string();
  ASSERT_EQ(run_cli("run " + config + " --out " + a + " --quiet --no-plots").exit_code, 0);
  ASSERT_EQ(run_cli("run " + config + " --out " + b + " --quiet --no-plots --seeds 3").exit_code, 0);

  auto r = run_cli("plot " + a + " --x oracle-calls bits seconds --metric train_loss --center median");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* f : {"train_loss_vs_oracle_calls.png", "train_loss_vs_bits.svg", "train_loss_vs_seconds.png"}) {
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "a" / "plots" / f)) << f;
  }
  // No data, no epochs: refused with the reason, exit 2.
  r = run_cli("plot " + a + " --x epochs");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("epochs need a problem with data"), std::string::npos) << r.err;
  // An unknown method is named with the ones there are.
  r = run_cli("plot " + a + " --methods Adam");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no method 'Adam' in the traces (they have: SignSGD, majority vote M=3)"), std::string::npos)
      << r.err;
  // Two studies into one figure need --out; with it, labels carry the study's name.
  r = run_cli("plot " + a + " " + b);
  EXPECT_EQ(r.exit_code, 2);
  const std::string out = (dir.path() / "both").string();
  r = run_cli("plot " + a + " " + b + " --out " + out + " --metric train_loss --band 0.25");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "both" / "train_loss.png"));
  EXPECT_NE(testing::read_text(dir.path() / "both" / "train_loss.gp").find("title \"a: SignSGD\""), std::string::npos);
  EXPECT_NE(testing::read_text(dir.path() / "both" / "train_loss.gp").find("0.25–0.75 quantile band"),
            std::string::npos);
}

}  // namespace
}  // namespace signopt
