#include <gtest/gtest.h>

#include "test_support.hpp"

namespace signopt {
namespace {

using testing::run_cli;

TEST(DataCli, InfoOnMushrooms) {
  const auto r = run_cli("data info " + testing::mushrooms_path().string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("rows (n):    8124"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("features (d): 112"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("nnz:         170604"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("+1: 4208"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("4.58258"), std::string::npos) << r.out;
}

TEST(DataCli, MalformedFileFailsCleanly) {
  testing::TempDir dir;
  const auto bad = dir.write("bad.svm", "1 1:1\n-1 2:x\n");
  const auto r = run_cli("data info " + bad.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.svm:2:6: feature value 'x' is not a number"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(DataCli, MissingFileAndUsageErrors) {
  auto r = run_cli("data info /nonexistent/file.svm");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no such file"), std::string::npos);
  r = run_cli("data info");
  EXPECT_EQ(r.exit_code, 2);
  r = run_cli("--help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("data"), std::string::npos);
}

}  // namespace
}  // namespace signopt
