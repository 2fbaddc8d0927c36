// The contract every recipe meets, checked over the typed list of all recipes: it converges on
// a convex quadratic without noise, is bit-identical for the same seed, and keeps its state
// finite.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "optim/optim_test_support.hpp"
#include "signopt/optim/method_registry.hpp"
#include "signopt/optim/recipes.hpp"

namespace signopt::optim {
namespace {

using signopt::testing::bit_identical;
using signopt::testing::noisy_oracle;
using signopt::testing::standard_quadratic;

template <typename List>
struct ToGtestTypes;
template <typename... Rs>
struct ToGtestTypes<recipes::RecipeList<Rs...>> {
  using type = ::testing::Types<Rs...>;
};
using RecipeTypes = ToGtestTypes<recipes::AllRecipes>::type;

// Parameters under which each recipe must converge on the quadratic (curvatures in [1, 4]).
// Sign-like and normalised methods take fixed-length steps, so they need a decaying γ_k.
Params contract_params(const std::string& name) {
  if (name == "sgd" || name == "m-sgd") return {{"lr", 0.1}};
  if (name == "heavy-ball") return {{"lr", 0.02}};
  if (name == "clip-sgd" || name == "m-clip-sgd") return {{"lr", 0.1}, {"clip", 1.0}};
  if (name == "adam") return {{"lr", 0.05}, {"schedule", "inv-sqrt"}};
  if (name == "adamw") return {{"lr", 0.05}, {"schedule", "inv-sqrt"}, {"weight-decay", 0.0}};
  if (name == "lion") return {{"lr", 0.05}, {"schedule", "inv-sqrt"}};
  if (name == "minibatch-signsgd") return {{"lr", 0.1}, {"schedule", "inv-sqrt"}, {"batch", 2}};
  return {{"lr", 0.1}, {"schedule", "inv-sqrt"}};
}

template <typename Recipe>
class RecipeContract : public ::testing::Test {
 protected:
  std::string name() const { return std::string(Recipe::name); }
  std::unique_ptr<Optimizer> make() const { return make_optimizer(name(), contract_params(name())); }
};
TYPED_TEST_SUITE(RecipeContract, RecipeTypes);

TYPED_TEST(RecipeContract, RegistryBuildsThisChain) {
  auto opt = this->make();
  EXPECT_EQ(opt->name(), this->name());
  EXPECT_NE(dynamic_cast<ComposedOptimizer<typename TypeParam::ChainType>*>(opt.get()), nullptr);
}

TYPED_TEST(RecipeContract, ConvergesOnConvexQuadraticWithoutNoise) {
  const auto problem = standard_quadratic(6);
  GradientOracle oracle(problem, nullptr, Sampling::Full, StreamKey{1, 2, 0});
  auto opt = this->make();
  Vector x = Vector::Zero(problem.dim());
  const double f1 = problem.value(x);
  opt->reset(x);
  for (Index k = 1; k <= 3000; ++k) opt->step(k, x, oracle);
  EXPECT_LT(problem.value(x), 1e-4 * f1) << this->name() << " ended at f = " << problem.value(x);
  EXPECT_LT((x - problem.minimizer()).lpNorm<Eigen::Infinity>(), 2e-2);
  EXPECT_TRUE(opt->state_finite());
}

TYPED_TEST(RecipeContract, BitIdenticalForTheSameSeed) {
  const auto problem = standard_quadratic(5);
  auto run = [&](std::uint64_t seed) {
    auto oracle = noisy_oracle(problem, 0.5, seed);
    auto opt = this->make();
    Vector x = Vector::Constant(problem.dim(), 0.25);
    opt->reset(x);
    for (Index k = 1; k <= 200; ++k) opt->step(k, x, oracle);
    EXPECT_TRUE(opt->state_finite());
    EXPECT_TRUE(x.allFinite());
    return x;
  };
  const Vector a = run(7), b = run(7), c = run(8);
  EXPECT_TRUE(bit_identical(a, b));
  EXPECT_FALSE(bit_identical(a, c)) << "a different seed should change the trajectory";
}

TYPED_TEST(RecipeContract, StateStaysFiniteUnderHeavyNoiseAndResetClearsIt) {
  const auto problem = standard_quadratic(4);
  auto oracle = noisy_oracle(problem, 1e3, 3);
  auto opt = this->make();
  Vector x = Vector::Zero(problem.dim());
  opt->reset(x);
  for (Index k = 1; k <= 100; ++k) opt->step(k, x, oracle);
  EXPECT_TRUE(opt->state_finite());
  EXPECT_TRUE(x.allFinite());
  // After reset() the optimizer behaves as a fresh one.
  Vector y = Vector::Zero(problem.dim()), z = Vector::Zero(problem.dim());
  auto fresh = this->make();
  opt->reset(y);
  fresh->reset(z);
  const Vector g = Vector::LinSpaced(problem.dim(), -1.0, 2.0);
  for (Index k = 1; k <= 3; ++k) {
    opt->update(k, g, y);
    fresh->update(k, g, z);
  }
  EXPECT_TRUE(bit_identical(y, z));
}

TEST(RecipeContract, TypedListCoversTheRegistry) {
  const auto names = method_names();
  EXPECT_EQ(names.size(), recipes::AllRecipes::size);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
}

}  // namespace
}  // namespace signopt::optim
