#include "signopt/experiment/start_point.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "signopt/core/error.hpp"
#include "signopt/core/statistics.hpp"
#include "signopt/data/npy.hpp"
#include "signopt/problems/quartic.hpp"
#include "test_support.hpp"

namespace signopt::experiment {
namespace {

using testing::TempDir;

TEST(StartPoints, NormalDrawsHaveTheRequestedMeanAndSpread) {
  const Quartic problem(20000);
  StartConfig config;
  config.kind = StartConfig::Kind::Normal;
  config.mean = 2.0;
  config.std = 3.0;
  const StartPoints starts(config, problem);
  Rng rng = Rng::derive({1, 2, stream_tag("initial-point")});
  const Vector x = starts.draw(rng);
  std::vector<double> v(x.data(), x.data() + x.size());
  // 20 000 draws: the mean is within 5 standard errors (3/√20000 ≈ 0.021), the std within 2 %.
  EXPECT_NEAR(mean(v), 2.0, 5 * 3.0 / std::sqrt(20000.0));
  EXPECT_NEAR(standard_deviation(v), 3.0, 0.06);
  // The same stream gives the same point; another seed's stream another point.
  Rng again = Rng::derive({1, 2, stream_tag("initial-point")});
  EXPECT_EQ(starts.draw(again), x);
  Rng other = Rng::derive({1, 3, stream_tag("initial-point")});
  EXPECT_NE(starts.draw(other), x);
}

TEST(StartPoints, ZerosConstantDefaultAndFile) {
  TempDir dir;
  const Quartic problem(3);
  Rng rng(1);
  StartConfig zeros;
  zeros.kind = StartConfig::Kind::Zeros;
  EXPECT_EQ(StartPoints(zeros, problem).draw(rng), Vector::Zero(3));
  StartConfig constant;
  constant.kind = StartConfig::Kind::Constant;
  constant.value = -1.5;
  EXPECT_EQ(StartPoints(constant, problem).draw(rng), Vector::Constant(3, -1.5));
  EXPECT_EQ(StartPoints(StartConfig{}, problem).draw(rng), problem.initial_point(rng));
  Vector x(3);
  x << 0.25, -4, 1e-3;
  write_npy_vector(dir / "x.npy", x);
  StartConfig file;
  file.kind = StartConfig::Kind::File;
  file.file = dir / "x.npy";
  EXPECT_EQ(StartPoints(file, problem).draw(rng), x);
  const Quartic wider(4);
  EXPECT_THROW(StartPoints(file, wider), Error);  // 3 numbers for d = 4
  EXPECT_NE(file.describe().find("x.npy"), std::string::npos);
}

}  // namespace
}  // namespace signopt::experiment
