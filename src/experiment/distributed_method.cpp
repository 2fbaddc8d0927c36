#include "signopt/experiment/distributed_method.hpp"

#include <cmath>

#include "signopt/core/error.hpp"

namespace signopt::experiment {

std::string distributed_parameters_help() {
  return "lr, beta, k, k_fraction, levels, float, adversaries, fault, fault_scale";
}

DistributedMethod make_distributed_method(const MethodConfig& method, Index workers,
                                          const optim::Params& params) {
  const auto names = distributed_recipe_names();
  if (std::find(names.begin(), names.end(), method.recipe) == names.end()) {
    std::string valid;
    for (const auto& n : names) valid += (valid.empty() ? "" : ", ") + n;
    fail("method '{}': '{}' is not a distributed recipe (with workers = M the recipe must be one of: {})",
         method.label, method.recipe, valid);
  }
  require(workers >= 1, "method '{}': workers must be ≥ 1", method.label);
  DistributedMethod out;
  out.config = distributed_recipe(method.recipe, workers);
  auto number = [&](const std::string& key, const optim::ParamValue& v) {
    if (!v.is_number()) fail("method '{}': parameter {} must be a number, got '{}'", method.label, key, v.text());
    return v.number();
  };
  auto word = [&](const std::string& key, const optim::ParamValue& v) {
    if (v.is_number()) fail("method '{}': parameter {} must be a word, got {}", method.label, key, v.number());
    return v.text();
  };
  auto integer = [&](const std::string& key, const optim::ParamValue& v) {
    const double x = number(key, v);
    if (x != std::floor(x) || x < 0) fail("method '{}': parameter {} must be a non-negative integer, got {}", method.label, key, x);
    return static_cast<Index>(x);
  };
  bool have_lr = false;
  for (const auto& [key, value] : params) {
    if (key == "lr") {
      out.step_size = number(key, value);
      have_lr = true;
      if (!(out.step_size > 0)) fail("method '{}': lr must be > 0, got {}", method.label, out.step_size);
    } else if (key == "beta") {
      out.config.worker_momentum = number(key, value);
    } else if (key == "k") {
      out.config.compressor.k = integer(key, value);
    } else if (key == "k_fraction") {
      out.config.compressor.k_fraction = number(key, value);
    } else if (key == "levels") {
      out.config.compressor.levels = static_cast<int>(integer(key, value));
    } else if (key == "float") {
      out.config.compressor.values = float_format_from_string(word(key, value));
    } else if (key == "adversaries") {
      out.config.faults.adversaries = integer(key, value);
    } else if (key == "fault") {
      out.config.faults.kind = fault_kind_from_string(word(key, value));
    } else if (key == "fault_scale") {
      out.config.faults.scale = number(key, value);
    } else {
      fail("method '{}': distributed recipe {} has no parameter '{}' (valid: {})", method.label,
           method.recipe, key, distributed_parameters_help());
    }
  }
  if (!have_lr) fail("method '{}': lr is required", method.label);
  if (out.config.faults.adversaries > 0 && out.config.faults.kind == FaultKind::None) {
    fail("method '{}': adversaries = {} needs fault = negate | random-sign | scaled", method.label,
         out.config.faults.adversaries);
  }
  return out;
}

}  // namespace signopt::experiment
