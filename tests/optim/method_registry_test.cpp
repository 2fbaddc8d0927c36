#include "signopt/optim/method_registry.hpp"

#include <gtest/gtest.h>

#include "signopt/core/error.hpp"

namespace signopt::optim {
namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(MethodRegistry, ListsEveryRecipeOfTheIssue) {
  const std::vector<std::string> expected{
      "sgd",  "m-sgd",    "heavy-ball", "signsgd", "minibatch-signsgd", "m-signsgd", "ef-signsgd",
      "nsgd", "m-nsgd",   "clip-sgd",   "m-clip-sgd", "adam",           "adamw",     "lion"};
  EXPECT_EQ(method_names(), expected);
  for (const auto& info : method_catalog()) {
    EXPECT_FALSE(info.description.empty()) << info.name;
    EXPECT_FALSE(info.source.empty()) << info.name;
    ASSERT_FALSE(info.parameters.empty()) << info.name;
    EXPECT_EQ(info.parameters.front().name, "lr");
    for (const auto& p : info.parameters) EXPECT_FALSE(p.description.empty()) << p.name;
  }
}

TEST(MethodRegistry, DefaultsAreUsedWhenParametersAreOmitted) {
  auto opt = make_optimizer("adam");
  EXPECT_EQ(opt->name(), "adam");
  EXPECT_DOUBLE_EQ(opt->step_size(1), 1e-3);
  EXPECT_DOUBLE_EQ(make_optimizer("lion")->step_size(5), 1e-4);
  EXPECT_EQ(make_optimizer("minibatch-signsgd")->batch_size(3), 1);
  EXPECT_EQ(make_optimizer("minibatch-signsgd", {{"batch", 16}})->batch_size(3), 16);
  EXPECT_EQ(make_optimizer("signsgd")->batch_size(3), 1);
  // Numbers may arrive as text (configs, CLI).
  EXPECT_DOUBLE_EQ(make_optimizer("sgd", {{"lr", "0.25"}})->step_size(1), 0.25);
}

TEST(MethodRegistry, UnknownNamesListTheValidOnes) {
  const auto msg = error_of([] { make_optimizer("signsdg"); });
  EXPECT_NE(msg.find("unknown optimizer 'signsdg'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("minibatch-signsgd"), std::string::npos) << msg;
  EXPECT_NE(msg.find("lion"), std::string::npos) << msg;
  EXPECT_THROW(method_info("SGD"), Error);
}

TEST(MethodRegistry, UnknownParametersListTheValidOnes) {
  const auto msg = error_of([] { make_optimizer("m-signsgd", {{"bta", 0.9}}); });
  EXPECT_NE(msg.find("no parameter 'bta'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("beta"), std::string::npos) << msg;
  EXPECT_NE(msg.find("lr"), std::string::npos) << msg;
  EXPECT_THROW(make_optimizer("sgd", {{"beta", 0.5}}), Error);  // sgd has no momentum
}

TEST(MethodRegistry, InvalidValuesSayWhatIsValid) {
  auto msg = error_of([] { make_optimizer("sgd", {{"lr", 0.0}}); });
  EXPECT_NE(msg.find("'lr'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("(0, inf)"), std::string::npos) << msg;
  EXPECT_THROW(make_optimizer("sgd", {{"lr", -1.0}}), Error);
  EXPECT_THROW(make_optimizer("sgd", {{"lr", std::numeric_limits<double>::infinity()}}), Error);
  EXPECT_THROW(make_optimizer("sgd", {{"lr", std::numeric_limits<double>::quiet_NaN()}}), Error);
  msg = error_of([] { make_optimizer("m-signsgd", {{"beta", 1.0}}); });
  EXPECT_NE(msg.find("[0, 1)"), std::string::npos) << msg;
  EXPECT_THROW(make_optimizer("m-sgd", {{"beta", -0.1}}), Error);
  EXPECT_NO_THROW(make_optimizer("m-sgd", {{"beta", 0.0}}));
  EXPECT_THROW(make_optimizer("adam", {{"beta2", 1.0}}), Error);
  EXPECT_THROW(make_optimizer("adam", {{"eps", 0.0}}), Error);
  EXPECT_THROW(make_optimizer("clip-sgd", {{"clip", 0.0}}), Error);
  EXPECT_THROW(make_optimizer("adamw", {{"weight-decay", -1e-3}}), Error);
  EXPECT_THROW(make_optimizer("minibatch-signsgd", {{"batch", 0}}), Error);
  msg = error_of([] { make_optimizer("minibatch-signsgd", {{"batch", 2.5}}); });
  EXPECT_NE(msg.find("integer"), std::string::npos) << msg;
  msg = error_of([] { make_optimizer("minibatch-signsgd", {{"batch", 8}, {"batch-max", 4}}); });
  EXPECT_NE(msg.find("at least the batch size"), std::string::npos) << msg;
  EXPECT_THROW(make_optimizer("minibatch-signsgd", {{"batch-ratio", 0.5}}), Error);
  msg = error_of([] { make_optimizer("sgd", {{"schedule", "cosine"}}); });
  EXPECT_NE(msg.find("constant, inv-sqrt, step"), std::string::npos) << msg;
  EXPECT_THROW(make_optimizer("sgd", {{"schedule", 1.0}}), Error);
  EXPECT_THROW(make_optimizer("sgd", {{"lr", "fast"}}), Error);
  EXPECT_THROW(make_optimizer("sgd", {{"decay-rate", 1.5}}), Error);
  EXPECT_THROW(make_optimizer("sgd", {{"decay-every", 0}}), Error);
}

TEST(MethodRegistry, ParamSpecTexts) {
  const auto& info = method_info("m-signsgd");
  const auto beta = std::find_if(info.parameters.begin(), info.parameters.end(),
                                 [](const ParamSpec& p) { return p.name == "beta"; });
  ASSERT_NE(beta, info.parameters.end());
  EXPECT_EQ(beta->valid_text(), "[0, 1)");
  EXPECT_EQ(beta->default_text(), "0.9");
  EXPECT_EQ(info.parameters[1].valid_text(), "one of constant, inv-sqrt, step");
}

}  // namespace
}  // namespace signopt::optim
