#include "signopt/experiment/distributed_method.hpp"

#include <algorithm>
#include <limits>

#include "signopt/core/error.hpp"

namespace signopt::experiment {
namespace {

using optim::ParamSpec;
constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<ParamSpec> parameters_of(const DistributedConfig& recipe) {
  std::vector<ParamSpec> p;
  p.push_back(ParamSpec::real("lr", 0.0, 0.0, true, kInf, true,
                              "step size gamma (> 0), required: a number or a theory word"));
  p.push_back(ParamSpec::real("beta", recipe.worker_momentum, 0.0, false, 1.0, true,
                              "per-worker momentum m <- beta*m + (1-beta)*g, sent instead of g"));
  const CompressorKind kind = recipe.compressor.kind;
  if (kind == CompressorKind::TopK || kind == CompressorKind::RandK) {
    p.push_back(ParamSpec::integer("k", recipe.compressor.k, 0, Index{1} << 40,
                                   "coordinates kept per message; 0: round(k_fraction*d)"));
    p.push_back(ParamSpec::real("k_fraction", recipe.compressor.k_fraction, 0.0, true, 1.0, false,
                                "k as a fraction of d, when k = 0"));
  }
  if (kind == CompressorKind::Qsgd) {
    p.push_back(ParamSpec::integer("levels", recipe.compressor.levels, 1, Index{1} << 20,
                                   "QSGD quantisation levels s"));
  }
  if (kind != CompressorKind::Sign) {
    p.push_back(ParamSpec::choice("float", to_string(recipe.compressor.values), {"fp32", "fp64"},
                                  "format of the real numbers on the wire (both directions)"));
  }
  p.push_back(ParamSpec::integer("adversaries", 0, 0, Index{1} << 30,
                                 "faulty workers (the last ones); needs fault"));
  p.push_back(
      ParamSpec::choice("fault", "none", {"none", "negate", "random-sign", "scaled"},
                        "what a faulty worker sends instead of u: -u, random signs, -lambda*u"));
  p.push_back(ParamSpec::real("fault_scale", FaultSpec{}.scale, 0.0, true, kInf, true,
                              "lambda of fault = scaled"));
  return p;
}

std::string memory_text(const DistributedConfig& c) {
  if (c.error_feedback == ErrorFeedbackKind::None) return "none";
  return to_string(c.error_feedback) +
         " error feedback (gamma applied on the worker: p = gamma*u + e)";
}

std::string compressor_text(const DistributedConfig& c) {
  switch (c.compressor.kind) {
    case CompressorKind::Identity:
      return fmt::format("identity ({} values)", to_string(c.compressor.values));
    case CompressorKind::Sign:
      return "sign (1 bit per coordinate)";
    case CompressorKind::ScaledSign:
      return fmt::format("scaled sign (||v||_1/d · sign(v), {} scale)",
                         to_string(c.compressor.values));
    case CompressorKind::TopK:
      return fmt::format("top-k (k = round(k_fraction*d) unless k is set, {} values)",
                         to_string(c.compressor.values));
    case CompressorKind::RandK:
      return fmt::format(
          "rand-k ({}, k = round(k_fraction*d) unless k is set, {} values)",
          c.compressor.rand_k_rescale ? "scaled by d/k: unbiased" : "unscaled: contractive",
          to_string(c.compressor.values));
    case CompressorKind::Qsgd:
      return fmt::format("QSGD (s levels, {} norm)", to_string(c.compressor.values));
  }
  return "?";
}

DistributedRecipeInfo info_for(const std::string& name) {
  const DistributedConfig c = distributed_recipe(name, 1);
  DistributedRecipeInfo info;
  info.name = name;
  info.compressor = compressor_text(c);
  info.memory = memory_text(c);
  info.aggregator = to_string(c.aggregator);
  const std::string momentum = c.worker_momentum > 0 ? "m_j <- beta*m_j + (1-beta)*g_j; " : "";
  const std::string u = c.worker_momentum > 0 ? "m_j" : "g_j";
  if (c.aggregator == AggregatorKind::MajorityVote) {
    info.description =
        fmt::format("{}worker j sends sign({}); x <- x - lr*sign(sum_j sign({}))", momentum, u, u);
    info.source = "Bernstein et al. 2018, 2019 (signSGD with majority vote)";
  } else if (c.error_feedback != ErrorFeedbackKind::None) {
    info.description = fmt::format(
        "worker j: p_j = lr*g_j + e_j, sends C(p_j), e_j <- p_j - C(p_j); x <- x - mean_j C(p_j)");
    info.source = c.compressor.kind == CompressorKind::ScaledSign
                      ? "Karimireddy et al. 2019 (EF-SignSGD)"
                      : "Stich et al. 2018; Karimireddy et al. 2019 (error feedback)";
  } else {
    info.description = "worker j sends C(g_j); x <- x - lr*mean_j decode(C(g_j))";
    info.source = c.compressor.kind == CompressorKind::Qsgd ? "Alistarh et al. 2017 (QSGD)"
                  : c.compressor.kind == CompressorKind::Identity
                      ? "data-parallel SGD"
                      : "compressed SGD, mean aggregation";
  }
  info.parameters = parameters_of(c);
  return info;
}

std::string valid_names() {
  std::string valid;
  for (const auto& n : distributed_recipe_names()) valid += (valid.empty() ? "" : ", ") + n;
  return valid;
}

}  // namespace

const std::vector<DistributedRecipeInfo>& distributed_recipe_catalog() {
  static const std::vector<DistributedRecipeInfo> catalog = [] {
    std::vector<DistributedRecipeInfo> out;
    for (const auto& name : distributed_recipe_names()) out.push_back(info_for(name));
    return out;
  }();
  return catalog;
}

bool is_distributed_recipe(const std::string& name) {
  const auto names = distributed_recipe_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

const DistributedRecipeInfo& distributed_recipe_info(const std::string& name) {
  for (const auto& info : distributed_recipe_catalog())
    if (info.name == name) return info;
  fail("unknown distributed recipe '{}' (valid: {})", name, valid_names());
}

DistributedMethod make_distributed_method(const MethodConfig& method, Index workers,
                                          const optim::Params& params) {
  if (!is_distributed_recipe(method.recipe)) {
    fail(
        "method '{}': '{}' is not a distributed recipe (with workers = M the recipe must be one "
        "of: {})",
        method.label, method.recipe, valid_names());
  }
  require(workers >= 1, "method '{}': workers must be ≥ 1", method.label);
  const DistributedRecipeInfo& info = distributed_recipe_info(method.recipe);
  // Unknown keys (including keys of another recipe, e.g. levels on a sign recipe), wrong kinds
  // and out-of-range values are errors that list this recipe's keys.
  const optim::ResolvedParams p = optim::resolve_params(method.recipe, info.parameters, params);
  if (!p.was_given("lr")) fail("method '{}': lr is required", method.label);

  DistributedMethod out;
  out.config = distributed_recipe(method.recipe, workers);
  out.step_size = p.number("lr");
  out.config.worker_momentum = p.number("beta");
  const CompressorKind kind = out.config.compressor.kind;
  if (kind == CompressorKind::TopK || kind == CompressorKind::RandK) {
    out.config.compressor.k = p.integer("k");
    out.config.compressor.k_fraction = p.number("k_fraction");
  }
  if (kind == CompressorKind::Qsgd)
    out.config.compressor.levels = static_cast<int>(p.integer("levels"));
  if (kind != CompressorKind::Sign)
    out.config.compressor.values = float_format_from_string(p.choice("float"));
  out.config.faults.adversaries = p.integer("adversaries");
  out.config.faults.kind = fault_kind_from_string(p.choice("fault"));
  out.config.faults.scale = p.number("fault_scale");
  if (out.config.faults.adversaries > 0 && out.config.faults.kind == FaultKind::None) {
    fail("method '{}': adversaries = {} needs fault = negate | random-sign | scaled", method.label,
         out.config.faults.adversaries);
  }
  if (out.config.faults.kind != FaultKind::None && out.config.faults.adversaries == 0) {
    fail("method '{}': fault = {} needs adversaries ≥ 1 (the number of faulty workers)",
         method.label, to_string(out.config.faults.kind));
  }
  if (p.was_given("fault_scale") && out.config.faults.kind != FaultKind::Scaled) {
    fail("method '{}': fault_scale applies only to fault = scaled (fault = {})", method.label,
         to_string(out.config.faults.kind));
  }
  if (p.was_given("k_fraction") && p.integer("k") > 0) {
    fail("method '{}': give k or k_fraction, not both (k = {} overrides k_fraction)", method.label,
         p.integer("k"));
  }
  return out;
}

}  // namespace signopt::experiment
