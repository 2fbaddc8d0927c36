#include "signopt/noise/noise_registry.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "noise_test_support.hpp"
#include "signopt/core/error.hpp"
#include "signopt/noise/alpha_stable_noise.hpp"
#include "signopt/noise/student_t_noise.hpp"

namespace signopt {
namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

// Parameters that make every model valid (required ones have no default).
NoiseParameters valid_parameters(const NoiseModelSpec& spec) {
  NoiseParameters p;
  for (const auto& parameter : spec.parameters) {
    if (!parameter.default_value) p[parameter.name] = 1.5;
  }
  return p;
}

TEST(NoiseRegistry, ListsEveryModelWithItsParameters) {
  std::vector<std::string> names;
  for (const auto& spec : noise_model_specs()) names.push_back(spec.name);
  EXPECT_EQ(names, (std::vector<std::string>{"none", "gaussian", "student-t", "alpha-stable",
                                             "pareto", "cauchy"}));
  const auto& stable = noise_model_spec("alpha-stable");
  ASSERT_EQ(stable.parameters.size(), 3u);
  EXPECT_EQ(stable.parameters[0].name, "alpha");
  EXPECT_FALSE(stable.parameters[0].default_value.has_value());
  EXPECT_EQ(stable.parameters[1].default_value, 0.0);
  EXPECT_EQ(stable.parameters[2].default_value, 1.0);
  const std::string help = noise_models_help();
  for (const auto& n : names) EXPECT_NE(help.find(n), std::string::npos) << n;
  for (const char* p : {"--alpha", "--beta", "--nu", "--shape", "--scale"}) {
    EXPECT_NE(help.find(p), std::string::npos) << p;
  }
}

TEST(NoiseRegistry, BuildsEachModelUnderItsName) {
  for (const auto& spec : noise_model_specs()) {
    const auto model = make_noise_model(spec.name, valid_parameters(spec));
    EXPECT_EQ(model->name(), spec.name);
  }
}

TEST(NoiseRegistry, PassesParametersThrough) {
  const auto model = make_noise_model("alpha-stable", {{"alpha", 1.6}, {"scale", 0.5}});
  const auto* stable = dynamic_cast<const AlphaStableNoise*>(model.get());
  ASSERT_NE(stable, nullptr);
  EXPECT_EQ(stable->alpha(), 1.6);
  EXPECT_EQ(stable->beta(), 0.0);  // default
  EXPECT_EQ(stable->scale(), 0.5);
  // Same parameters, same stream: the same draws as the directly built model.
  const auto a = testing::draw(*model, 100, 3);
  const auto b = testing::draw(AlphaStableNoise(1.6, 0.0, 0.5), 100, 3);
  EXPECT_EQ(a, b);
  const auto t = make_noise_model("student-t", {{"nu", 1.5}});
  EXPECT_EQ(dynamic_cast<const StudentTNoise&>(*t).nu(), 1.5);
}

TEST(NoiseRegistry, ClearErrors) {
  EXPECT_NE(error_of([] { make_noise_model("levy"); }).find("valid: none, gaussian, student-t"),
            std::string::npos);
  const std::string missing = error_of([] { make_noise_model("alpha-stable", {{"scale", 1.0}}); });
  EXPECT_NE(missing.find("needs parameter 'alpha'"), std::string::npos) << missing;
  EXPECT_NE(missing.find("(0, 2]"), std::string::npos) << missing;
  const std::string unknown = error_of([] { make_noise_model("gaussian", {{"nu", 3.0}}); });
  EXPECT_NE(unknown.find("no parameter 'nu'"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("scale (default 1)"), std::string::npos) << unknown;
  EXPECT_NE(error_of([] {
              make_noise_model("none", {{"scale", 1.0}});
            }).find("no parameters"),
            std::string::npos);
  const std::string range = error_of([] { make_noise_model("alpha-stable", {{"alpha", 2.5}}); });
  EXPECT_NE(range.find("must be in (0, 2]"), std::string::npos) << range;
  EXPECT_THROW(make_noise_model("alpha-stable", {{"alpha", 1.5}, {"beta", -2.0}}), Error);
  EXPECT_THROW(make_noise_model("student-t", {{"nu", 0.0}}), Error);
  EXPECT_THROW(make_noise_model("pareto", {{"shape", -1.0}}), Error);
  EXPECT_THROW(make_noise_model("cauchy", {{"scale", -1.0}}), Error);
}

// Reproducibility and independence, for every model.
TEST(NoiseRegistry, SameSeedSameSamplesAndIndependentStreams) {
  for (const auto& spec : noise_model_specs()) {
    if (spec.name == "none") continue;
    const auto model = make_noise_model(spec.name, valid_parameters(spec));
    const std::size_t n = 20000;
    Rng a = Rng::derive({7, 1, 0}), b = Rng::derive({7, 1, 0}), c = Rng::derive({7, 1, 1});
    std::vector<double> xa(n), xb(n), xc(n);
    model->sample(a, xa);
    model->sample(b, xb);
    model->sample(c, xc);
    EXPECT_EQ(xa, xb) << spec.name;
    // Two worker streams, and consecutive draws within one stream, are uncorrelated:
    // Spearman's ρ has sd 1/√n = 0.007 under independence.
    EXPECT_LT(std::abs(testing::spearman(xa, xc)), 0.03) << spec.name;
    std::vector<double> head(xa.begin(), xa.end() - 1), tail(xa.begin() + 1, xa.end());
    EXPECT_LT(std::abs(testing::spearman(head, tail)), 0.03) << spec.name;
    // Filling in pieces continues the same stream.
    Rng d = Rng::derive({7, 1, 0});
    std::vector<double> pieces(n);
    model->sample(d, std::span<double>(pieces.data(), 777));
    model->sample(d, std::span<double>(pieces.data() + 777, n - 777));
    EXPECT_EQ(pieces, xa) << spec.name;
  }
}

}  // namespace
}  // namespace signopt
