#pragma once
// A [[method]] table with `workers = M` is a distributed method (docs/distributed.md): its
// recipe is one of distributed_recipe_names(). Each recipe has its own parameters (a key that
// does not apply to it is an Error naming the key and the recipe's valid keys):
//   lr           every recipe; required: step size γ (number or a theory word, resolved
//                like any lr)
//   beta         every recipe: per-worker momentum β (EMA form; 0 = none), default 0
//                (majority-vote-signum: 0.9)
//   k, k_fraction   top-k / rand-k recipes: coordinates kept (k = 0: round(k_fraction·d))
//   levels       qsgd recipes: QSGD levels s
//   float        recipes that send real numbers (all but majority vote): fp32 | fp64
//   adversaries, fault   every recipe: the last `adversaries` workers are faulty,
//                fault = negate | random-sign | scaled
//   fault_scale  with fault = scaled: λ (Bernstein et al. 2019)
#include <string>
#include <vector>

#include "signopt/distributed/distributed_config.hpp"
#include "signopt/experiment/config.hpp"
#include "signopt/optim/method_params.hpp"

namespace signopt::experiment {

struct DistributedMethod {
  DistributedConfig config;
  double step_size = 0.0;
};

// One entry of the distributed catalogue (`signopt methods`), built from the recipe itself so
// that the text cannot drift from what runs.
struct DistributedRecipeInfo {
  std::string name;
  std::string compressor;   // e.g. "sign", "top-k (k = round(k_fraction·d), fp32 values)"
  std::string memory;       // error feedback: "none" or "residual (γ applied on the worker)"
  std::string aggregator;   // "mean" | "majority-vote"
  std::string description;  // the update in one line
  std::string source;
  std::vector<optim::ParamSpec> parameters;  // lr first; lr has no default (required)
};

// Every distributed recipe, in distributed_recipe_names() order.
const std::vector<DistributedRecipeInfo>& distributed_recipe_catalog();
bool is_distributed_recipe(const std::string& name);
// Throws Error listing the valid names.
const DistributedRecipeInfo& distributed_recipe_info(const std::string& name);

// Throws Error naming the method and, for a key the recipe does not take, the valid ones.
DistributedMethod make_distributed_method(const MethodConfig& method, Index workers,
                                          const optim::Params& resolved_params);

}  // namespace signopt::experiment
