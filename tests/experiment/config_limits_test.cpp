// Issue 20: sizes a config may ask for, and [noise] errors, named with file:line.
#include <gtest/gtest.h>

#include "signopt/core/error.hpp"
#include "signopt/experiment/config.hpp"
#include "signopt/experiment/limits.hpp"

namespace signopt::experiment {
namespace {

const char* kBody = R"(
[problem]
type = "quadratic"
dim = 4
[[method]]
recipe = "sgd"
lr = 0.1
)";

std::string error_of(const std::string& text) {
  try {
    (void)parse_config(text, "study.toml");
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ConfigLimits, EachSizeIsCheckedAgainstItsStatedLimit) {
  EXPECT_EQ(error_of("iterations = 1000000000000\n" + std::string(kBody)),
            "study.toml:1: iterations = 1000000000000 exceeds the limit of 1000000000 (steps per run)");
  EXPECT_NE(error_of("seeds = 1000001\n" + std::string(kBody)).find("study.toml:1: seeds = 1000001 exceeds the limit of 1000000"),
            std::string::npos);
  EXPECT_NE(error_of("threads = 5000\n" + std::string(kBody)).find("study.toml:1: threads"), std::string::npos);
  EXPECT_NE(error_of("[oracle]\nbatch = 2000000\n" + std::string(kBody)).find("study.toml:2: oracle.batch"),
            std::string::npos);
  EXPECT_NE(error_of("[evaluation]\nlog_points = 2000000\n" + std::string(kBody)).find("study.toml:2: evaluation.log_points"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kBody) + "workers = 5000\n").find("study.toml:8: method.workers = 5000"),
            std::string::npos);
  EXPECT_NE(error_of("[problem]\ntype = \"mlp\"\ndata = \"d\"\nhidden = [4, 100000]\n[[method]]\nrecipe = \"sgd\"\n")
                .find("study.toml:4: problem.hidden = 100000 exceeds the limit of 65536"),
            std::string::npos);
  // At the limits a config parses.
  const auto c = parse_config("iterations = 1000000000\nseeds = 1000000\n" + std::string(kBody), "study.toml");
  EXPECT_EQ(c.iterations, kMaxIterations);
  EXPECT_EQ(c.seeds, kMaxSeeds);
}

TEST(ConfigLimits, MemoryEstimateRefusesWhatTheMachineCannotHold) {
  auto c = parse_config("iterations = 1000\nseeds = 10\n" + std::string(kBody), "study.toml");
  // 10 runs × 1002 points × 11 values × 32 bytes, and 10 runs × 8 vectors of 4 doubles.
  const MemoryEstimate e = estimate_study_memory(c, 4, 0, 10);
  EXPECT_DOUBLE_EQ(e.trace_bytes, 10.0 * 1002 * 11 * 32);
  EXPECT_DOUBLE_EQ(e.state_bytes, 10.0 * 4 * 8 * 8);
  EXPECT_NO_THROW(check_study_memory(c, 4, 10, static_cast<std::uint64_t>(e.total()) + 1));
  try {
    check_study_memory(c, 4, 10, static_cast<std::uint64_t>(e.total()) - 1);
    FAIL() << "no error";
  } catch (const Error& err) {
    const std::string m = err.what();
    for (const char* f : {"study.toml: the study needs about", "--max-memory", "seeds = 10", "iterations = 1000"}) {
      EXPECT_NE(m.find(f), std::string::npos) << f << "\n" << m;
    }
  }
  // The schedule is not built to count it: 10^9 iterations evaluated every step is refused at once.
  c.iterations = kMaxIterations;
  EXPECT_THROW(check_study_memory(c, 4, 10, std::uint64_t{1} << 30), Error);
  EXPECT_GT(default_max_memory(), 0u);
}

TEST(ConfigLimits, NoiseErrorsNameTheFileAndLine) {
  const std::string base = std::string(kBody);
  EXPECT_NE(error_of("[noise]\nmodel = \"levy\"\n" + base).find("study.toml:2: [noise]: unknown noise model 'levy'"),
            std::string::npos)
      << error_of("[noise]\nmodel = \"levy\"\n" + base);
  const std::string scale = error_of("[noise]\nmodel = \"gaussian\"\nscale = -1\n" + base);
  EXPECT_NE(scale.find("study.toml:3: [noise]: "), std::string::npos) << scale;
  EXPECT_NE(scale.find("scale"), std::string::npos) << scale;
  const std::string unknown = error_of("[noise]\nmodel = \"gaussian\"\n\nshape = 2\n" + base);
  EXPECT_NE(unknown.find("study.toml:4: [noise]: noise model 'gaussian' has no parameter 'shape'"), std::string::npos)
      << unknown;
}

// toml++ 3.3 has undefined behaviour on U+00A1–U+049A where it expects whitespace (upstream
// marzer/tomlplusplus#190, 232 of 233 config fuzz crashes): refused before the parser sees it.
TEST(ConfigLimits, NonAsciiOutsideStringsIsRefusedBeforeTheTomlParser) {
  EXPECT_EQ(error_of("seeds = 2\niterations =\u00a1 5\n" + std::string(kBody)),
            "study.toml:2:13: a non-ASCII character outside a string or comment (TOML allows them only in "
            "strings and comments)");
  EXPECT_NE(error_of("seeds\u049a= 2\n" + std::string(kBody)).find("study.toml:1:6: a non-ASCII"), std::string::npos);
  EXPECT_NE(error_of("name = \"a\xff\"\n" + std::string(kBody)).find("study.toml:1:10: not valid UTF-8 (byte 0xff)"),
            std::string::npos);
  // In strings (basic with escapes, multi-line literal) and comments they are fine.
  const auto c = parse_config(R"(name = "Stüdy \"ü\" ©"  # Ωmega
description = '''
Ä
'''
# ӛ
)" + std::string(kBody),
                              "study.toml");
  EXPECT_EQ(c.name, "Stüdy \"ü\" ©");
  EXPECT_EQ(c.description, "Ä\n");
}

}  // namespace
}  // namespace signopt::experiment
