#include "signopt/experiment/distributed_method.hpp"

#include <gtest/gtest.h>

#include <string>

#include "signopt/core/error.hpp"

namespace signopt::experiment {
namespace {

MethodConfig method(const std::string& recipe) {
  MethodConfig m;
  m.label = recipe;  // (a literal here trips GCC 12's -Wrestrict false positive)
  m.recipe = recipe;
  m.workers = 4;
  return m;
}

std::string error_of(const std::string& recipe, const optim::Params& params) {
  try {
    (void)make_distributed_method(method(recipe), 4, params);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(DistributedMethod, AKeyThatDoesNotApplyIsAnErrorListingTheRecipesKeys) {
  EXPECT_EQ(
      error_of("majority-vote-signsgd", {{"lr", 0.1}, {"levels", 3}}),
      "method 'majority-vote-signsgd' has no parameter 'levels' (valid: lr, beta, adversaries, "
      "fault, fault_scale)");
  EXPECT_NE(error_of("majority-vote-signum", {{"lr", 0.1}, {"float", "fp64"}})
                .find("no parameter 'float'"),
            std::string::npos);
  EXPECT_NE(error_of("qsgd", {{"lr", 0.1}, {"k", 3}})
                .find("no parameter 'k' (valid: lr, beta, levels, float,"),
            std::string::npos);
  EXPECT_NE(error_of("top-k", {{"lr", 0.1}, {"levels", 3}})
                .find("(valid: lr, beta, k, k_fraction, float,"),
            std::string::npos);
  EXPECT_NE(error_of("distributed-sgd", {{"lr", 0.1}, {"k_fraction", 0.5}})
                .find("no parameter 'k_fraction'"),
            std::string::npos);
}

TEST(DistributedMethod, ParametersThatApplyAreSet) {
  auto sgd = make_distributed_method(method("distributed-sgd"), 4, {{"lr", 0.5}});
  EXPECT_EQ(sgd.step_size, 0.5);
  EXPECT_EQ(sgd.config.compressor.values, FloatFormat::Float32);  // the default
  sgd = make_distributed_method(method("distributed-sgd"), 4, {{"lr", 0.5}, {"float", "fp64"}});
  EXPECT_EQ(sgd.config.compressor.values, FloatFormat::Float64);
  const auto q = make_distributed_method(method("qsgd-ef"), 4, {{"lr", 0.1}, {"levels", 3}});
  EXPECT_EQ(q.config.compressor.levels, 3);
  const auto t = make_distributed_method(method("rand-k"), 4, {{"lr", 0.1}, {"k", 5}});
  EXPECT_EQ(t.config.compressor.k, 5);
  const auto s = make_distributed_method(method("majority-vote-signum"), 4, {{"lr", 0.1}});
  EXPECT_EQ(s.config.worker_momentum, 0.9);  // the recipe's default survives
  const auto f = make_distributed_method(
      method("majority-vote-signsgd"), 4,
      {{"lr", 0.1}, {"adversaries", 1}, {"fault", "scaled"}, {"fault_scale", 3.0}});
  EXPECT_EQ(f.config.faults.kind, FaultKind::Scaled);
  EXPECT_EQ(f.config.faults.adversaries, 1);
  EXPECT_EQ(f.config.faults.scale, 3.0);
}

TEST(DistributedMethod, SettingsThatWouldBeIgnoredAreErrors) {
  EXPECT_NE(error_of("top-k", {{"k", 3}}).find("lr is required"), std::string::npos);
  EXPECT_NE(error_of("top-k", {{"lr", 0.1}, {"adversaries", 1}}).find("needs fault ="),
            std::string::npos);
  EXPECT_NE(error_of("top-k", {{"lr", 0.1}, {"fault", "negate"}}).find("needs adversaries"),
            std::string::npos);
  EXPECT_NE(error_of("top-k",
                     {{"lr", 0.1}, {"adversaries", 1}, {"fault", "negate"}, {"fault_scale", 2.0}})
                .find("fault_scale applies only to fault = scaled"),
            std::string::npos);
  EXPECT_NE(
      error_of("top-k", {{"lr", 0.1}, {"k", 3}, {"k_fraction", 0.2}}).find("give k or k_fraction"),
      std::string::npos);
  EXPECT_NE(error_of("qsgd", {{"lr", 0.1}, {"levels", 0}}).find("levels"), std::string::npos);
  EXPECT_NE(error_of("signsgd", {{"lr", 0.1}}).find("not a distributed recipe"), std::string::npos);
  // A control: the same recipe with valid settings is accepted.
  EXPECT_EQ(error_of("top-k", {{"lr", 0.1}, {"adversaries", 1}, {"fault", "negate"}}), "");
}

TEST(DistributedMethod, TheCatalogueDescribesWhatTheRecipeRuns) {
  const auto& catalog = distributed_recipe_catalog();
  ASSERT_EQ(catalog.size(), distributed_recipe_names().size());
  for (const auto& info : catalog) {
    const DistributedConfig c = distributed_recipe(info.name, 1);
    EXPECT_EQ(info.aggregator, to_string(c.aggregator)) << info.name;
    EXPECT_EQ(info.memory == "none", c.error_feedback == ErrorFeedbackKind::None) << info.name;
    EXPECT_EQ(info.parameters.front().name, "lr") << info.name;
  }
  EXPECT_EQ(distributed_recipe_info("majority-vote-signsgd").compressor,
            "sign (1 bit per coordinate)");
  EXPECT_EQ(distributed_recipe_info("distributed-sgd").compressor, "identity (fp32 values)");
  EXPECT_THROW(distributed_recipe_info("signum"), Error);
  EXPECT_TRUE(is_distributed_recipe("qsgd-ef"));
  EXPECT_FALSE(is_distributed_recipe("m-signsgd"));
}

}  // namespace
}  // namespace signopt::experiment
