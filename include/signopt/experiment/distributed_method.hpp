#pragma once
// A [[method]] table with `workers = M` is a distributed method (docs/distributed.md): its
// recipe is one of distributed_recipe_names() and its parameters are
//   lr           step size γ (number or a theory word, resolved like any lr)
//   beta         per-worker momentum β (EMA form; 0 = none; Signum-style majority vote)
//   k, k_fraction   top-k / rand-k: coordinates kept (k = 0: round(k_fraction·d))
//   levels       QSGD levels s
//   float        fp32 | fp64: floats on the wire
//   adversaries  number of faulty workers (the last ones), fault = negate | random-sign | scaled,
//   fault_scale  λ of the scaled fault (Bernstein et al. 2019)
#include "signopt/distributed/distributed_config.hpp"
#include "signopt/experiment/config.hpp"

namespace signopt::experiment {

struct DistributedMethod {
  DistributedConfig config;
  double step_size = 0.0;
};

// Throws Error naming the method and listing the valid parameters.
DistributedMethod make_distributed_method(const MethodConfig& method, Index workers,
                                          const optim::Params& resolved_params);

std::string distributed_parameters_help();

}  // namespace signopt::experiment
