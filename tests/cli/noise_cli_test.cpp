// `signopt noise`: samples on stdout or in a file, every model reachable, clear errors.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "signopt/core/ks_test.hpp"
#include "signopt/core/special_functions.hpp"
#include "signopt/noise/noise_registry.hpp"
#include "test_support.hpp"

namespace signopt {
namespace {

using testing::run_cli;

std::vector<double> parse_lines(const std::string& text) {
  std::vector<double> values;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) values.push_back(std::stod(line));
  return values;
}

TEST(NoiseCli, PrintsTheLibrarySamplesExactly) {
  const auto r =
      run_cli("noise --model alpha-stable --alpha 1.5 --beta 0 --scale 0.1 --n 1000 --seed 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<double> printed = parse_lines(r.out);
  ASSERT_EQ(printed.size(), 1000u);
  // The documented stream: Rng::derive({seed, stream_tag("noise")}); 17 digits round-trip.
  const auto model =
      make_noise_model("alpha-stable", {{"alpha", 1.5}, {"beta", 0.0}, {"scale", 0.1}});
  Rng rng = Rng::derive({1, stream_tag("noise")});
  std::vector<double> expected(1000);
  model->sample(rng, expected);
  EXPECT_EQ(printed, expected);
}

TEST(NoiseCli, EveryModelAndParameterIsReachable) {
  const char* commands[] = {"--model none",
                            "--model gaussian --scale 2",
                            "--model student-t --nu 1.5 --scale 0.5",
                            "--model alpha-stable --alpha 0.7 --beta -0.4 --scale 3",
                            "--model pareto --shape 2.5 --scale 0.2",
                            "--model cauchy --scale 0.3"};
  for (const char* args : commands) {
    const auto r = run_cli(std::string("noise ") + args + " --n 5 --seed 4");
    EXPECT_EQ(r.exit_code, 0) << args << ": " << r.err;
    EXPECT_EQ(parse_lines(r.out).size(), 5u) << args;
  }
  // The law comes out right end to end: Student-t through the CLI passes KS.
  const auto r = run_cli("noise --model student-t --nu 1.5 --scale 0.5 --n 20000 --seed 9");
  ASSERT_EQ(r.exit_code, 0);
  const auto xs = parse_lines(r.out);
  EXPECT_GT(ks_test(xs, [](double x) { return student_t_cdf(x / 0.5, 1.5); }).p_value, 1e-3);
}

TEST(NoiseCli, SeedsAndZeroSamples) {
  const auto a = run_cli("noise --model gaussian --n 50 --seed 3");
  const auto b = run_cli("noise --model gaussian --n 50 --seed 3");
  const auto c = run_cli("noise --model gaussian --n 50 --seed 4");
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out, c.out);
  const auto empty = run_cli("noise --model gaussian --n 0");
  EXPECT_EQ(empty.exit_code, 0);
  EXPECT_EQ(empty.out, "");
}

TEST(NoiseCli, WritesFilesAtomically) {
  testing::TempDir dir;
  const auto path = dir / "sub" / "samples.txt";
  const auto r =
      run_cli("noise --model pareto --shape 1.5 --n 300 --seed 2 --out " + path.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_EQ(content.str(), run_cli("noise --model pareto --shape 1.5 --n 300 --seed 2").out);
  // No temporary file left behind.
  int files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir / "sub"))
    ++files;
  EXPECT_EQ(files, 1);
}

TEST(NoiseCli, ImpossibleParametersExitTwoWithAClearMessage) {
  struct Case {
    const char* args;
    const char* message;
  };
  const Case cases[] = {
      {"--model alpha-stable --alpha 2.5", "alpha (stability index) must be in (0, 2]"},
      {"--model alpha-stable --alpha 0", "must be in (0, 2]"},
      {"--model alpha-stable --alpha 1.5 --beta 1.5", "beta (skewness) must be in [-1, 1]"},
      {"--model student-t --nu 0", "nu (degrees of freedom) must be finite and > 0"},
      {"--model student-t --nu -1", "must be finite and > 0"},
      {"--model gaussian --scale -1", "scale must be finite and >= 0"},
      {"--model pareto --shape 0", "shape (tail index) must be finite and > 0"},
      {"--model gaussian --n -5", "--n must be >= 0"},
      {"--model gaussian --nu 3", "noise model 'gaussian' has no parameter 'nu'"},
      {"--model student-t", "needs parameter 'nu'"},
      {"--model levy", "unknown noise model 'levy'"},
  };
  for (const auto& c : cases) {
    std::string args = std::string("noise ") + c.args;
    if (args.find("--n ") == std::string::npos) args += " --n 3";
    const auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 2) << c.args;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << ": " << r.err;
    EXPECT_EQ(r.out, "") << c.args;
  }
  const auto missing = run_cli("noise --n 3");
  EXPECT_EQ(missing.exit_code, 2);
}

TEST(NoiseCli, FailedRunLeavesNoFile) {
  testing::TempDir dir;
  const auto path = dir / "samples.txt";
  const auto r = run_cli("noise --model alpha-stable --alpha 3 --out " + path.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(NoiseCli, HelpListsModelsAndParameters) {
  const auto r = run_cli("noise --help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* text : {"gaussian", "student-t", "alpha-stable", "pareto", "cauchy", "none",
                           "--alpha", "--beta", "--nu", "--shape", "--scale", "S1", "--seed"}) {
    EXPECT_NE(r.out.find(text), std::string::npos) << text;
  }
}

TEST(NoiseCli, InfoDescribesTheModel) {
  const auto r = run_cli("noise --model alpha-stable --alpha 1.5 --beta 0.5 --info");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("skewed alpha-stable"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("symmetric:       no"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("moment supremum: 1.5"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace signopt
