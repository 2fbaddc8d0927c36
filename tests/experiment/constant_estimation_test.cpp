#include "signopt/experiment/constant_estimation.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "signopt/core/error.hpp"
#include "signopt/experiment/problem_factory.hpp"
#include "signopt/experiment/theory_parameters.hpp"
#include "signopt/noise/noise_registry.hpp"

namespace signopt::experiment {
namespace {

// GD with γ = 0.19 on eigenvalues 1..10: L̂ → λ_max = 10 (see smoothness_pairs_test). The
// injected noise is tiny, so that it never dominates the steps (‖∇f‖ stays above 1e-5 over
// 120 steps): the Hill index and σ do not depend on the scale.
const char* kQuadratic = R"toml(
seed = 5
seeds = 4
iterations = 120
[problem]
type = "quadratic"
dim = 10
condition = 10
start = 1.0
[noise]
model = "student-t"
nu = 2.5
scale = 1e-8
[[method]]
label = "GD"
recipe = "sgd"
lr = 0.19
[[method]]
label = "SGD (theory)"
recipe = "sgd"
lr = "gamma-L"
)toml";

struct Fixture {
  ExperimentConfig config;
  BuiltProblem built;
  std::shared_ptr<const NoiseModel> noise;
};

Fixture setup(const std::string& text) {
  Fixture s{parse_config(text, "test.toml"), {}, {}};
  s.built = build_problem(s.config.problem);
  s.noise = make_noise_model(s.config.noise.model, s.config.noise.parameters);
  return s;
}

TEST(ConstantEstimation, SmoothnessOfTheQuadraticAlongTheConfigsRuns) {
  const Fixture s = setup(kQuadratic);
  SmoothnessStudyOptions options;
  options.seeds = 2;
  const SmoothnessStudy study = estimate_smoothness(s.config, *s.built.problem, s.noise, options);
  ASSERT_EQ(study.methods.size(), 2u);  // gamma-L resolves with the analytic L = λ_max
  EXPECT_EQ(study.steps, 120);
  EXPECT_EQ(study.seeds, 2);
  EXPECT_EQ(study.pairs.size() + static_cast<std::size_t>(study.skipped_pairs),
            2u * 2u * 120u * 3u);
  // GD's pairs give λ_max; every pair of a quadratic is ≤ λ_max.
  EXPECT_NEAR(study.method_fits[0].L0, 10.0, 0.1);
  EXPECT_NEAR(study.method_fits[0].L1, 0.0, 1e-9);
  EXPECT_LE(study.strict_fit.L0, 10.0 + 1e-9);
  EXPECT_LE(study.max_smoothness, 10.0 + 1e-9);
  ASSERT_TRUE(study.analytic.has_value());
  EXPECT_DOUBLE_EQ(study.analytic->L0, 10.0);
}

TEST(ConstantEstimation, ResultsDoNotDependOnThreads) {
  const Fixture s = setup(kQuadratic);
  SmoothnessStudyOptions one, two;
  one.threads = 1;
  two.threads = 2;
  one.seeds = two.seeds = 3;
  one.steps = two.steps = 30;
  const auto a = estimate_smoothness(s.config, *s.built.problem, s.noise, one);
  const auto b = estimate_smoothness(s.config, *s.built.problem, s.noise, two);
  ASSERT_EQ(a.pairs.size(), b.pairs.size());
  for (std::size_t i = 0; i < a.pairs.size(); ++i) {
    EXPECT_EQ(a.pairs[i].method, b.pairs[i].method);
    EXPECT_EQ(a.pairs[i].seed, b.pairs[i].seed);
    EXPECT_EQ(a.pairs[i].pair.smoothness, b.pairs[i].pair.smoothness);
  }
  EXPECT_EQ(a.fit.L0, b.fit.L0);
}

TEST(ConstantEstimation, PilotOnlySkipsTheoryMethods) {
  const Fixture s = setup(kQuadratic);
  SmoothnessStudyOptions options;
  options.pilot_only = true;
  options.steps = 10;
  const auto study = estimate_smoothness(s.config, *s.built.problem, s.noise, options);
  ASSERT_EQ(study.methods.size(), 1u);
  EXPECT_EQ(study.methods[0], "GD");
  ASSERT_EQ(study.skipped.size(), 1u);
  EXPECT_NE(study.skipped[0].find("SGD (theory)"), std::string::npos);

  // Only theory methods: nothing can measure the constants.
  const std::string only_theory =
      std::string(kQuadratic).substr(0, std::string(kQuadratic).find("[[method]]")) +
      "[[method]]\nrecipe = \"sgd\"\nlr = \"gamma-L\"\n";
  const Fixture t = setup(only_theory);
  try {
    estimate_smoothness(t.config, *t.built.problem, t.noise, options);
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("numbers"), std::string::npos) << e.what();
  }
}

TEST(ConstantEstimation, NoiseStudyRecoversInjectedNoiseAlongARun) {
  const Fixture s = setup(kQuadratic);
  NoiseStudyOptions options;
  options.samples = 10000;
  options.hill_k = 100;
  options.kappa = 1.5;
  options.at = {40, 0};
  const NoiseStudy study = estimate_noise(s.config, *s.built.problem, s.noise, options);
  EXPECT_EQ(study.method, "GD");
  ASSERT_EQ(study.points.size(), 2u);
  EXPECT_EQ(study.points[0].iteration, 0);
  EXPECT_EQ(study.points[1].iteration, 40);
  for (const auto& p : study.points) {
    // Injected Student-t, ν = 2.5: the noise does not depend on the point.
    EXPECT_NEAR(p.analysis.tail_median, 2.5, 0.3);
    EXPECT_EQ(p.noise.rows(), 10000);
    EXPECT_EQ(p.noise.cols(), 10);
  }
  // Too few coordinates asked for: evenly spaced ones.
  options.max_coordinates = 4;
  options.at = {0};
  options.samples = 200;
  const NoiseStudy few = estimate_noise(s.config, *s.built.problem, s.noise, options);
  EXPECT_EQ(few.coordinates, (std::vector<Index>{0, 2, 5, 7}));
  EXPECT_TRUE(few.method.empty());
}

TEST(ConstantEstimation, NoiseStudyRejectsBadOptions) {
  const Fixture s = setup(kQuadratic);
  NoiseStudyOptions bad;
  bad.samples = 5;
  EXPECT_THROW(estimate_noise(s.config, *s.built.problem, s.noise, bad), Error);
  NoiseStudyOptions kappa;
  kappa.kappa = 2.5;
  EXPECT_THROW(estimate_noise(s.config, *s.built.problem, s.noise, kappa), Error);
  NoiseStudyOptions k;
  k.samples = 100;
  k.hill_k = 100;
  EXPECT_THROW(estimate_noise(s.config, *s.built.problem, s.noise, k), Error);
  NoiseStudyOptions method;
  method.method = "nope";
  EXPECT_THROW(estimate_noise(s.config, *s.built.problem, s.noise, method), Error);
  NoiseStudyOptions at;
  at.at = {-1};
  EXPECT_THROW(estimate_noise(s.config, *s.built.problem, s.noise, at), Error);
}

TEST(ConstantEstimation, EstimatedConstantsFeedTheTheory) {
  std::string text = kQuadratic;
  text.insert(text.find("[[method]]"), "[theory]\nconstants = \"estimated\"\ndelta = 0.1\n");
  text.replace(text.find("nu = 2.5"), 8, "nu = 4.0");  // well above κ = 2: σ is finite
  const Fixture s = setup(text);
  const TheoryContext t = make_theory_context(s.config, *s.built.problem, *s.noise);
  ASSERT_TRUE(t.L0 && t.L1 && t.L);
  EXPECT_NEAR(*t.L0, 10.0, 0.1);  // GD's trajectories: L̂ → λ_max, flat in ‖∇f‖
  EXPECT_NEAR(*t.L1, 0.0, 1e-9);
  EXPECT_LE(*t.L, 10.0 + 1e-9);
  // σ measured per coordinate at x¹: Student-t(4) scaled by s has E z² = s² ν/(ν−2).
  ASSERT_EQ(t.sigma_per_coordinate.size(), 10);
  const double sigma = 1e-8 * std::sqrt(2.0);
  for (Index i = 0; i < 10; ++i) EXPECT_NEAR(t.sigma_per_coordinate[i], sigma, 0.3 * sigma);
  EXPECT_FALSE(t.notes.empty());
  // γ_L = 1/(L d^{3/2} log(1/seed_delta)) with the measured L; the notes say where it came from.
  const ResolvedMethod sgd = resolve_theory_parameters(s.config.methods[1], s.config, t);
  EXPECT_NEAR(sgd.params.at("lr").number(),
              1.0 / (*t.L * std::pow(10.0, 1.5) * std::log(1.0 / 0.99)), 1e-15);
  ASSERT_GE(sgd.notes.size(), 3u);
  EXPECT_NE(sgd.notes[0].find("constants estimated"), std::string::npos) << sgd.notes[0];
  EXPECT_TRUE(resolve_theory_parameters(s.config.methods[0], s.config, t).notes.empty());
}

TEST(ConstantEstimation, GivenConstantsIgnoreTheAnalyticOnes) {
  std::string text = kQuadratic;
  text.insert(text.find("[[method]]"), "[theory]\nconstants = \"given\"\n");
  const Fixture s = setup(text);
  const TheoryContext t = make_theory_context(s.config, *s.built.problem, *s.noise);
  EXPECT_FALSE(t.L0.has_value());
  EXPECT_FALSE(t.L1.has_value());
  EXPECT_THROW(resolve_theory_parameters(s.config.methods[1], s.config, t), Error);  // needs L1
  EXPECT_THROW(
      parse_config(std::string(kQuadratic) + "[theory]\nconstants = \"measured\"\n", "x.toml"),
      Error);
}

}  // namespace
}  // namespace signopt::experiment
