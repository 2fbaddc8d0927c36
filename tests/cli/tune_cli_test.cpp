#include <gtest/gtest.h>

#include "test_support.hpp"

namespace signopt {
namespace {

using testing::run_cli;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(TuneCli, SeedStepSizesOnMushroomsSplitAndWhole) {
  const std::string data =
      "tune --data " + testing::mushrooms_path().string() + " --lambda 1 --delta 0.99";
  for (const std::string& extra :
       {std::string(""), std::string(" --whole"), std::string(" --split 0.3 --split-seed 9")}) {
    const auto r = run_cli(data + extra);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "= 4.5825757")) << r.out;     // R = √21
    EXPECT_TRUE(contains(r.out, "= 22\n")) << r.out;          // L
    EXPECT_TRUE(contains(r.out, "= 5.5825757")) << r.out;     // L1
    EXPECT_TRUE(contains(r.out, "= 0.0038156604")) << r.out;  // γ_L
    EXPECT_TRUE(contains(r.out, "= 0.015036881")) << r.out;   // γ_L1
  }
  EXPECT_TRUE(contains(run_cli(data).out,
                       "training split: 6499 of 8124 rows (test fraction 0.2, split seed 0"));
  EXPECT_TRUE(contains(run_cli(data + " --whole").out, "the whole file: all 8124 rows"));
  EXPECT_TRUE(contains(run_cli(data + " --split 0.3 --split-seed 9").out,
                       "training split: 5686 of 8124 rows (test fraction 0.3, split seed 9"));
}

TEST(TuneCli, TheoryTunerPrintsBothMethods) {
  const auto r = run_cli(
      "tune --d 100 --L0 1 --L1 1 --delta1 10 --sigma 0.1 --kappa 1.5 --delta 0.01 --eps 1 "
      "--grad1 50");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "minibatch-SignSGD")) << r.out;
  EXPECT_TRUE(contains(r.out, "regime:           1")) << r.out;
  EXPECT_TRUE(contains(r.out, "batch B:          4096000")) << r.out;  // (16·10/1)³
  EXPECT_TRUE(contains(r.out, "iterations T:     17683854")) << r.out;
  EXPECT_TRUE(contains(r.out, "M-SignSGD")) << r.out;
  EXPECT_TRUE(contains(r.out, "bound value:")) << r.out;
  const auto only = run_cli(
      "tune --method m-signsgd --d 100 --L0 1 --L1 1 --delta1 10 --sigma1 3 --eps 4 --grad1 5");
  ASSERT_EQ(only.exit_code, 0) << only.err;
  EXPECT_FALSE(contains(only.out, "minibatch-SignSGD")) << only.out;
  EXPECT_TRUE(contains(only.out, "regime:           1")) << only.out;
}

TEST(TuneCli, ImpossibleInputsExitWithCodeTwoAndNoOutput) {
  const std::string base = "tune --d 100 --L0 1 --L1 1 --delta1 10 --sigma1 1 --eps 1 --grad1 5";
  for (const std::string& bad :
       {base + " --delta 0.01 --kappa 1", base + " --delta 0.01 --kappa 2.5", base + " --delta 1",
        base + " --delta 0.01 --c 0.5", base + " --delta 0.01 --eps -1", base,  // δ missing
        std::string("tune --d 100 --L0 -1 --L1 1 --delta1 10 --sigma1 1 --eps 1 --delta 0.1"),
        std::string("tune --d 100 --L0 1 --L1 1 --delta1 10 --eps 1 --delta 0.1"),  // no σ
        base + " --delta 0.1 --sigma 0.1", base + " --delta 0.1 --method adam",
        base + " --delta 0.1 --lambda 1", std::string("tune"),
        std::string("tune --data " + testing::mushrooms_path().string() + " --delta 0.99"),
        std::string("tune --data " + testing::mushrooms_path().string() +
                    " --lambda 1 --delta 1.5"),
        std::string("tune --data " + testing::mushrooms_path().string() +
                    " --lambda 1 --delta 0.9 --whole --split 0.1"),
        std::string("tune --data " + testing::mushrooms_path().string() +
                    " --lambda 1 --delta 0.9 --eps 1"),
        std::string("tune --data /nonexistent.svm --lambda 1 --delta 0.9"),
        std::string("tune --d 10 --L0 1 --L1 1 --delta1 1 --sigma1 1 --eps 1 --delta 0.5 "
                    "--method m-signsgd")}) {  // M-SignSGD needs --grad1 or --eps1
    const auto r = run_cli(bad);
    EXPECT_EQ(r.exit_code, 2) << bad << "\n" << r.out << r.err;
    EXPECT_TRUE(r.out.empty()) << bad << "\n" << r.out;
    EXPECT_FALSE(r.err.empty()) << bad;
  }
  const auto r = run_cli(base + " --delta 0.01 --kappa 2.5");
  EXPECT_TRUE(contains(r.err, "kappa must be in (1, 2]")) << r.err;
}

TEST(MethodsCli, ListsEveryRecipeWithParametersAndDefaults) {
  const auto r = run_cli("methods");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* name :
       {"sgd", "m-sgd", "heavy-ball", "signsgd", "minibatch-signsgd", "m-signsgd", "ef-signsgd",
        "nsgd", "m-nsgd", "clip-sgd", "m-clip-sgd", "adam", "adamw", "lion"}) {
    EXPECT_TRUE(contains(r.out, std::string("\n") + name + "\n")) << name;
  }
  EXPECT_TRUE(contains(r.out, "sign(0) = 0")) << r.out;
  const auto one = run_cli("methods m-signsgd");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_TRUE(contains(one.out, "beta            default 0.9        valid [0, 1)")) << one.out;
  EXPECT_TRUE(contains(one.out, "lr              default 0.01")) << one.out;
  EXPECT_FALSE(contains(one.out, "adam")) << one.out;
  const auto bad = run_cli("methods signum");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_TRUE(contains(bad.err, "unknown method 'signum' (valid: sgd, m-sgd")) << bad.err;
  EXPECT_TRUE(
      contains(bad.err, "distributed (workers = M): distributed-sgd, majority-vote-signsgd"))
      << bad.err;
  EXPECT_TRUE(bad.out.empty());
}

TEST(MethodsCli, ListsEveryDistributedRecipeWithItsParts) {
  const auto r = run_cli("methods");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* name :
       {"distributed-sgd", "majority-vote-signsgd", "majority-vote-signum", "ef-signsgd",
        "scaled-sign", "top-k", "top-k-ef", "rand-k", "rand-k-ef", "qsgd", "qsgd-ef"}) {
    EXPECT_TRUE(contains(
        r.out, std::string("\n") + name + "  (distributed: a [[method]] with workers = M)\n"))
        << name;
  }
  const auto one = run_cli("methods majority-vote-signsgd");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  for (const char* text :
       {"compressor: sign (1 bit per coordinate)", "memory:     none", "aggregator: majority-vote",
        "lr              default required", "adversaries", "fault_scale"}) {
    EXPECT_TRUE(contains(one.out, text)) << text << "\n" << one.out;
  }
  // Keys that do not apply to a sign recipe are not listed (and refused in a config).
  for (const char* key : {"levels", "k_fraction", "float"})
    EXPECT_FALSE(contains(one.out, key)) << key;
  const auto ef = run_cli("methods top-k-ef");
  ASSERT_EQ(ef.exit_code, 0) << ef.err;
  for (const char* text : {"memory:     residual error feedback", "aggregator: mean", "k_fraction",
                           "float           default fp32"}) {
    EXPECT_TRUE(contains(ef.out, text)) << text << "\n" << ef.out;
  }
  // ef-signsgd names both the single-process optimizer and the distributed recipe.
  const auto both = run_cli("methods ef-signsgd");
  ASSERT_EQ(both.exit_code, 0) << both.err;
  EXPECT_TRUE(contains(both.out, "Karimireddy et al. 2019, Alg. 1")) << both.out;
  EXPECT_TRUE(contains(both.out, "ef-signsgd  (distributed")) << both.out;
}

}  // namespace
}  // namespace signopt
