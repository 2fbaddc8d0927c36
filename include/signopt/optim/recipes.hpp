#pragma once
// The named recipes: each is a compile-time chain of transforms (transforms.hpp) plus its
// parameter specs. The registry (method_registry.hpp) builds them by name; tests iterate over
// AllRecipes. Formulas and sources: docs/methods.md and docs/theory.md §2.
#include <limits>
#include <string_view>
#include <vector>

#include "signopt/optim/batch_schedule.hpp"
#include "signopt/optim/chain.hpp"
#include "signopt/optim/method_params.hpp"
#include "signopt/optim/step_size_schedule.hpp"
#include "signopt/optim/transforms.hpp"

namespace signopt::optim::recipes {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

// Step-size parameters every recipe has: lr (γ), schedule, decay-rate, decay-every.
std::vector<ParamSpec> step_size_params(double default_lr);
StepSizeSchedule step_size_schedule(const ResolvedParams& p);
ParamSpec beta_param(std::string name, double default_value, std::string description);

// Appends the recipe's own parameters to the step-size ones.
inline std::vector<ParamSpec> with_step_size(double default_lr, std::vector<ParamSpec> own) {
  auto all = step_size_params(default_lr);
  all.insert(all.end(), own.begin(), own.end());
  return all;
}

struct Sgd {
  static constexpr std::string_view name = "sgd";
  static constexpr std::string_view description = "SGD: x <- x - lr*g";
  static constexpr std::string_view source = "Robbins & Monro 1951";
  using ChainType = Chain<ScaleBySchedule>;
  static std::vector<ParamSpec> parameters() { return with_step_size(0.01, {}); }
  static ChainType make(const ResolvedParams& p) {
    return ChainType(ScaleBySchedule(step_size_schedule(p)));
  }
};

struct MomentumSgd {
  static constexpr std::string_view name = "m-sgd";
  static constexpr std::string_view description =
      "SGD with EMA momentum (seed form): m <- beta*m + (1-beta)*g; x <- x - lr*m";
  static constexpr std::string_view source = "seed experiments (docs/theory.md §2)";
  using ChainType = Chain<Ema, ScaleBySchedule>;
  static std::vector<ParamSpec> parameters() {
    return with_step_size(0.01, {beta_param("beta", 0.9, "EMA momentum coefficient")});
  }
  static ChainType make(const ResolvedParams& p) {
    return ChainType(Ema(p.number("beta")), ScaleBySchedule(step_size_schedule(p)));
  }
};

struct HeavyBall {
  static constexpr std::string_view name = "heavy-ball";
  static constexpr std::string_view description =
      "Polyak heavy ball: m <- beta*m + g; x <- x - lr*m";
  static constexpr std::string_view source = "Polyak 1964";
  using ChainType = Chain<Trace, ScaleBySchedule>;
  static std::vector<ParamSpec> parameters() {
    return with_step_size(0.01, {beta_param("beta", 0.9, "heavy-ball momentum coefficient")});
  }
  static ChainType make(const ResolvedParams& p) {
    return ChainType(Trace(p.number("beta")), ScaleBySchedule(step_size_schedule(p)));
  }
};

struct SignSgd {
  static constexpr std::string_view name = "signsgd";
  static constexpr std::string_view description = "SignSGD: x <- x - lr*sign(g), sign(0) = 0";
  static constexpr std::string_view source = "Bernstein et al. 2018, Alg. 1 of the seed paper";
  using ChainType = Chain<Sign, ScaleBySchedule>;
  static std::vector<ParamSpec> parameters() { return with_step_size(0.01, {}); }
  static ChainType make(const ResolvedParams& p) {
    return ChainType(Sign(), ScaleBySchedule(step_size_schedule(p)));
  }
};

struct MinibatchSignSgd {
  static constexpr std::string_view name = "minibatch-signsgd";
  static constexpr std::string_view description =
      "minibatch-SignSGD: g = mean of B_k oracle draws; x <- x - lr*sign(g)";
  static constexpr std::string_view source = "seed paper Alg. 2; Kornilov et al. 2025";
  using ChainType = Chain<Sign, ScaleBySchedule>;
  static std::vector<ParamSpec> parameters() {
    return with_step_size(
        0.01, {ParamSpec::integer("batch", 1, 1, 1'000'000'000, "batch size B (B_1)"),
               ParamSpec::choice("batch-schedule", "constant", {"constant", "linear", "geometric"},
                                 "B_k = B, min(max, B*k) or min(max, ceil(B*ratio^(k-1)))"),
               ParamSpec::real("batch-ratio", 1.1, 1.0, false, kInf, true,
                               "growth ratio of the geometric batch schedule"),
               ParamSpec::integer("batch-max", 1'000'000, 1, 1'000'000'000,
                                  "cap on B_k for growing schedules")});
  }
  static ChainType make(const ResolvedParams& p) {
    return ChainType(Sign(), ScaleBySchedule(step_size_schedule(p)));
  }
  static BatchSchedule batches(const ResolvedParams& p);
};

struct MomentumSignSgd {
  static constexpr std::string_view name = "m-signsgd";
  static constexpr std::string_view description =
      "M-SignSGD (Signum): m <- beta*m + (1-beta)*g; x <- x - lr*sign(m)";
  static constexpr std::string_view source =
      "Bernstein et al. 2018 (Signum); final seed paper Alg. 3";
  using ChainType = Chain<Ema, Sign, ScaleBySchedule>;
  static std::vector<ParamSpec> parameters() {
    return with_step_size(0.01, {beta_param("beta", 0.9, "EMA momentum coefficient")});
  }
  static ChainType make(const ResolvedParams& p) {
    return ChainType(Ema(p.number("beta")), Sign(), ScaleBySchedule(step_size_schedule(p)));
  }
};

struct ErrorFeedbackSignSgd {
  static constexpr std::string_view name = "ef-signsgd";
  static constexpr std::string_view description =
      "EF-SignSGD: p = lr*g + e; D = (|p|_1/d)*sign(p); x <- x - D; e <- p - D";
  static constexpr std::string_view source = "Karimireddy et al. 2019, Alg. 1";
  using ChainType = Chain<ScaleBySchedule, ErrorFeedbackScaledSign>;
  static std::vector<ParamSpec> parameters() { return with_step_size(0.01, {}); }
  static ChainType make(const ResolvedParams& p) {
    return ChainType(ScaleBySchedule(step_size_schedule(p)), ErrorFeedbackScaledSign());
  }
};

struct NormalizedSgd {
  static constexpr std::string_view name = "nsgd";
  static constexpr std::string_view description = "normalised SGD: x <- x - lr*g/|g|_2";
  static constexpr std::string_view source = "Hazan et al. 2015; Cutkosky & Mehta 2020";
  using ChainType = Chain<NormalizeByL2, ScaleBySchedule>;
  static std::vector<ParamSpec> parameters() { return with_step_size(0.01, {}); }
  static ChainType make(const ResolvedParams& p) {
    return ChainType(NormalizeByL2(), ScaleBySchedule(step_size_schedule(p)));
  }
};

struct MomentumNormalizedSgd {
  static constexpr std::string_view name = "m-nsgd";
  static constexpr std::string_view description =
      "normalised SGD with momentum: m <- beta*m + (1-beta)*g; x <- x - lr*m/|m|_2";
  static constexpr std::string_view source = "Cutkosky & Mehta 2020";
  using ChainType = Chain<Ema, NormalizeByL2, ScaleBySchedule>;
  static std::vector<ParamSpec> parameters() {
    return with_step_size(0.01, {beta_param("beta", 0.9, "EMA momentum coefficient")});
  }
  static ChainType make(const ResolvedParams& p) {
    return ChainType(Ema(p.number("beta")), NormalizeByL2(),
                     ScaleBySchedule(step_size_schedule(p)));
  }
};

inline ParamSpec clip_param() {
  return ParamSpec::real("clip", 1.0, 0.0, true, kInf, true,
                         "clipping threshold lambda: clip(v) = min(1, lambda/|v|_2) v");
}

struct ClipSgd {
  static constexpr std::string_view name = "clip-sgd";
  static constexpr std::string_view description = "clipped SGD: x <- x - lr*min(1, clip/|g|_2)*g";
  static constexpr std::string_view source = "Zhang et al. 2020; Gorbunov et al. 2024";
  using ChainType = Chain<ClipByL2Norm, ScaleBySchedule>;
  static std::vector<ParamSpec> parameters() { return with_step_size(0.01, {clip_param()}); }
  static ChainType make(const ResolvedParams& p) {
    return ChainType(ClipByL2Norm(p.number("clip")), ScaleBySchedule(step_size_schedule(p)));
  }
};

struct MomentumClipSgd {
  static constexpr std::string_view name = "m-clip-sgd";
  static constexpr std::string_view description =
      "clipped SGD with momentum: m <- beta*m + (1-beta)*g; x <- x - lr*min(1, clip/|m|_2)*m";
  static constexpr std::string_view source = "Zhang et al. 2020 (Alg. 1 with momentum)";
  using ChainType = Chain<Ema, ClipByL2Norm, ScaleBySchedule>;
  static std::vector<ParamSpec> parameters() {
    return with_step_size(0.01,
                          {beta_param("beta", 0.9, "EMA momentum coefficient"), clip_param()});
  }
  static ChainType make(const ResolvedParams& p) {
    return ChainType(Ema(p.number("beta")), ClipByL2Norm(p.number("clip")),
                     ScaleBySchedule(step_size_schedule(p)));
  }
};

inline std::vector<ParamSpec> adam_params() {
  return {beta_param("beta1", 0.9, "first-moment decay"),
          beta_param("beta2", 0.999, "second-moment decay"),
          ParamSpec::real("eps", 1e-8, 0.0, true, kInf, true, "denominator offset epsilon")};
}

struct Adam {
  static constexpr std::string_view name = "adam";
  static constexpr std::string_view description =
      "Adam: bias-corrected m/(sqrt(v)+eps) scaled by lr";
  static constexpr std::string_view source = "Kingma & Ba 2015, Alg. 1";
  using ChainType = Chain<AdamDirection, ScaleBySchedule>;
  static std::vector<ParamSpec> parameters() { return with_step_size(1e-3, adam_params()); }
  static ChainType make(const ResolvedParams& p) {
    return ChainType(AdamDirection(p.number("beta1"), p.number("beta2"), p.number("eps")),
                     ScaleBySchedule(step_size_schedule(p)));
  }
};

struct AdamW {
  static constexpr std::string_view name = "adamw";
  static constexpr std::string_view description =
      "AdamW: x <- x - lr*(adam direction + weight-decay*x)";
  static constexpr std::string_view source = "Loshchilov & Hutter 2019, Alg. 2";
  using ChainType = Chain<AdamDirection, AddDecayedWeights, ScaleBySchedule>;
  static std::vector<ParamSpec> parameters() {
    auto own = adam_params();
    own.push_back(ParamSpec::real("weight-decay", 1e-2, 0.0, false, kInf, true,
                                  "decoupled weight decay, multiplied by lr"));
    return with_step_size(1e-3, own);
  }
  static ChainType make(const ResolvedParams& p) {
    return ChainType(AdamDirection(p.number("beta1"), p.number("beta2"), p.number("eps")),
                     AddDecayedWeights(p.number("weight-decay")),
                     ScaleBySchedule(step_size_schedule(p)));
  }
};

struct Lion {
  static constexpr std::string_view name = "lion";
  static constexpr std::string_view description =
      "Lion: x <- x - lr*(sign(beta1*m + (1-beta1)*g) + wd*x); m <- beta2*m + (1-beta2)*g";
  static constexpr std::string_view source = "Chen et al. 2023, Alg. 2";
  using ChainType = Chain<LionDirection, AddDecayedWeights, ScaleBySchedule>;
  static std::vector<ParamSpec> parameters() {
    return with_step_size(1e-4, {beta_param("beta1", 0.9, "interpolation for the update sign"),
                                 beta_param("beta2", 0.99, "momentum decay"),
                                 ParamSpec::real("weight-decay", 0.0, 0.0, false, kInf, true,
                                                 "decoupled weight decay, multiplied by lr")});
  }
  static ChainType make(const ResolvedParams& p) {
    return ChainType(LionDirection(p.number("beta1"), p.number("beta2")),
                     AddDecayedWeights(p.number("weight-decay")),
                     ScaleBySchedule(step_size_schedule(p)));
  }
};

template <typename... Rs>
struct RecipeList {
  static constexpr std::size_t size = sizeof...(Rs);
};

using AllRecipes = RecipeList<Sgd, MomentumSgd, HeavyBall, SignSgd, MinibatchSignSgd,
                              MomentumSignSgd, ErrorFeedbackSignSgd, NormalizedSgd,
                              MomentumNormalizedSgd, ClipSgd, MomentumClipSgd, Adam, AdamW, Lion>;

// B_k of a recipe: constant 1 unless the recipe defines batches().
template <typename Recipe>
BatchSchedule batches_of(const ResolvedParams& p) {
  if constexpr (requires { Recipe::batches(p); }) {
    return Recipe::batches(p);
  } else {
    return BatchSchedule{};
  }
}

}  // namespace signopt::optim::recipes
