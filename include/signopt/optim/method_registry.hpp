#pragma once
// Optimizers by name: the catalogue configs and the CLI reach (`signopt methods` prints it).
//
//   auto opt = make_optimizer("m-signsgd", {{"lr", 1e-3}, {"beta", 0.9}});
//
// Unknown names, unknown parameters and invalid values are Errors that list what is valid.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "signopt/optim/method_params.hpp"
#include "signopt/optim/optimizer.hpp"

namespace signopt::optim {

struct MethodInfo {
  std::string name;
  std::string description;  // the update rule in one line
  std::string source;       // the paper it comes from
  std::vector<ParamSpec> parameters;
};

// Every recipe, in a fixed order (plain SGD first, then momentum, sign, normalised, clipped,
// adaptive methods).
const std::vector<MethodInfo>& method_catalog();
std::vector<std::string> method_names();
// Throws Error listing the valid names.
const MethodInfo& method_info(std::string_view name);

std::unique_ptr<Optimizer> make_optimizer(std::string_view name, const Params& params = {});

}  // namespace signopt::optim
