#include "signopt/distributed/distributed_config.hpp"

#include <gtest/gtest.h>

#include <set>

#include "signopt/core/error.hpp"

namespace signopt {
namespace {

TEST(DistributedConfig, EveryRecipeIsValidAndDistinct) {
  std::set<std::uint64_t> fingerprints;
  for (const auto& name : distributed_recipe_names()) {
    const DistributedConfig c = distributed_recipe(name, 4);
    EXPECT_NO_THROW(c.validate(1000)) << name;
    EXPECT_EQ(c.workers, 4);
    fingerprints.insert(c.fingerprint(1000));
  }
  EXPECT_EQ(fingerprints.size(), distributed_recipe_names().size());
}

TEST(DistributedConfig, RecipesHaveTheDocumentedParts) {
  const auto mv = distributed_recipe("majority-vote-signsgd", 3);
  EXPECT_EQ(mv.compressor.kind, CompressorKind::Sign);
  EXPECT_EQ(mv.aggregator, AggregatorKind::MajorityVote);
  EXPECT_EQ(mv.worker_momentum, 0.0);
  EXPECT_EQ(distributed_recipe("majority-vote-signum", 3).worker_momentum, 0.9);
  const auto ef = distributed_recipe("ef-signsgd", 3);
  EXPECT_EQ(ef.compressor.kind, CompressorKind::ScaledSign);
  EXPECT_EQ(ef.error_feedback, ErrorFeedbackKind::Residual);
  EXPECT_EQ(ef.aggregator, AggregatorKind::Mean);
  EXPECT_TRUE(ef.step_size_on_worker);
  const auto sgd = distributed_recipe("distributed-sgd", 3);
  EXPECT_EQ(sgd.compressor.kind, CompressorKind::Identity);
  EXPECT_EQ(sgd.compressor.values, FloatFormat::Float32);  // like the compressors' values
  EXPECT_FALSE(distributed_recipe("rand-k-ef", 3).compressor.rand_k_rescale);
  EXPECT_TRUE(distributed_recipe("rand-k", 3).compressor.rand_k_rescale);
  EXPECT_EQ(distributed_recipe("qsgd-ef", 3).error_feedback, ErrorFeedbackKind::Residual);
  EXPECT_EQ(distributed_recipe("top-k", 3).error_feedback, ErrorFeedbackKind::None);
}

TEST(DistributedConfig, UnknownRecipeListsTheValidOnes) {
  try {
    distributed_recipe("signum", 2);
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("majority-vote-signum"), std::string::npos) << e.what();
  }
}

TEST(DistributedConfig, InvalidCombinationsAreErrors) {
  auto c = distributed_recipe("majority-vote-signsgd", 4);
  c.compressor.kind = CompressorKind::ScaledSign;
  EXPECT_THROW(c.validate(10), Error);
  c = distributed_recipe("majority-vote-signsgd", 4);
  c.error_feedback = ErrorFeedbackKind::Residual;
  EXPECT_THROW(c.validate(10), Error);
  c = distributed_recipe("majority-vote-signum", 4);
  c.worker_momentum = 1.0;
  EXPECT_THROW(c.validate(10), Error);
  c = distributed_recipe("distributed-sgd", 0);
  EXPECT_THROW(c.validate(10), Error);
  c = distributed_recipe("distributed-sgd", 4);
  c.faults = {5, FaultKind::Negate, 1.0};
  EXPECT_THROW(c.validate(10), Error);
}

TEST(DistributedConfig, FingerprintDependsOnDimensionAndSettings) {
  const auto c = distributed_recipe("top-k-ef", 4);
  EXPECT_EQ(c.fingerprint(100), c.fingerprint(100));
  EXPECT_NE(c.fingerprint(100), c.fingerprint(101));
  {
    auto other_data = c;
    other_data.inputs_digest = 0x1234;  // same settings, another copy of the data
    EXPECT_NE(c.fingerprint(100), other_data.fingerprint(100));
  }
  auto other = c;
  other.compressor.k = 3;
  EXPECT_NE(c.fingerprint(100), other.fingerprint(100));
  other = c;
  other.faults = {1, FaultKind::Scaled, 2.0};
  EXPECT_NE(c.fingerprint(100), other.fingerprint(100));
  other.faults.scale = 3.0;
  EXPECT_NE(c.fingerprint(100), other.fingerprint(100));
}

}  // namespace
}  // namespace signopt
