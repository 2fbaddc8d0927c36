#include "signopt/noise/noise_registry.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "signopt/core/error.hpp"
#include "signopt/noise/alpha_stable_noise.hpp"
#include "signopt/noise/cauchy_noise.hpp"
#include "signopt/noise/gaussian_noise.hpp"
#include "signopt/noise/student_t_noise.hpp"
#include "signopt/noise/symmetric_pareto_noise.hpp"

namespace signopt {
namespace {

NoiseParameterSpec scale_parameter() {
  return {"scale", 1.0, "finite, >= 0", "multiplies every draw"};
}

std::vector<NoiseModelSpec> build_specs() {
  std::vector<NoiseModelSpec> specs;
  specs.push_back({"none",
                   "no noise: the oracle returns the exact (full or minibatch) gradient",
                   {},
                   [](const NoiseParameters&) { return std::make_shared<NoNoise>(); }});
  specs.push_back(
      {"gaussian",
       "scale * N(0, 1); all moments finite",
       {{"scale", 1.0, "finite, >= 0", "standard deviation"}},
       [](const NoiseParameters& p) { return std::make_shared<GaussianNoise>(p.at("scale")); }});
  specs.push_back(
      {"student-t",
       "scale * t(nu); E|z|^p finite iff p < nu",
       {{"nu", std::nullopt, "finite, > 0", "degrees of freedom = tail index"}, scale_parameter()},
       [](const NoiseParameters& p) {
         return std::make_shared<StudentTNoise>(p.at("nu"), p.at("scale"));
       }});
  specs.push_back(
      {"alpha-stable",
       "S(alpha, beta, scale, 0) in the S1 parameterisation (scipy's levy_stable default); "
       "E|z|^p finite iff p < alpha (alpha < 2)",
       {{"alpha", std::nullopt, "(0, 2]", "stability index = tail index; 2 is N(0, 2 scale^2)"},
        {"beta", 0.0, "[-1, 1]", "skewness; 0 is symmetric"},
        scale_parameter()},
       [](const NoiseParameters& p) {
         return std::make_shared<AlphaStableNoise>(p.at("alpha"), p.at("beta"), p.at("scale"));
       }});
  specs.push_back({"pareto",
                   "random sign * Lomax: P(|z| > x) = (1 + x/scale)^-shape; E|z|^p finite iff "
                   "p < shape",
                   {{"shape", std::nullopt, "finite, > 0", "tail index"}, scale_parameter()},
                   [](const NoiseParameters& p) {
                     return std::make_shared<SymmetricParetoNoise>(p.at("shape"), p.at("scale"));
                   }});
  specs.push_back(
      {"cauchy",
       "scale * Cauchy; no mean, E|z|^p finite only for p < 1 (negative control)",
       {scale_parameter()},
       [](const NoiseParameters& p) { return std::make_shared<CauchyNoise>(p.at("scale")); }});
  return specs;
}

std::string parameter_list(const NoiseModelSpec& spec) {
  if (spec.parameters.empty()) return "it takes no parameters";
  std::string list;
  for (const auto& parameter : spec.parameters) {
    if (!list.empty()) list += ", ";
    list += parameter.name;
    list += parameter.default_value ? fmt::format(" (default {:g})", *parameter.default_value)
                                    : std::string(" (required)");
  }
  return "its parameters: " + list;
}

}  // namespace

const std::vector<NoiseModelSpec>& noise_model_specs() {
  static const std::vector<NoiseModelSpec> specs = build_specs();
  return specs;
}

const NoiseModelSpec& noise_model_spec(std::string_view name) {
  std::string names;
  for (const auto& spec : noise_model_specs()) {
    if (spec.name == name) return spec;
    if (!names.empty()) names += ", ";
    names += spec.name;
  }
  fail("unknown noise model '{}' (valid: {})", name, names);
}

std::shared_ptr<const NoiseModel> make_noise_model(std::string_view name,
                                                   const NoiseParameters& parameters) {
  const NoiseModelSpec& spec = noise_model_spec(name);
  for (const auto& entry : parameters) {
    const std::string& key = entry.first;  // a named variable: clang 14 (make fuzz) cannot capture a binding
    const bool known = std::any_of(spec.parameters.begin(), spec.parameters.end(),
                                   [&](const NoiseParameterSpec& p) { return p.name == key; });
    require(known, "noise model '{}' has no parameter '{}'; {}", spec.name, key,
            parameter_list(spec));
  }
  NoiseParameters complete;
  for (const auto& parameter : spec.parameters) {
    if (auto it = parameters.find(parameter.name); it != parameters.end()) {
      complete[parameter.name] = it->second;
    } else {
      require(parameter.default_value.has_value(),
              "noise model '{}' needs parameter '{}' (valid: {}); {}", spec.name, parameter.name,
              parameter.range, parameter_list(spec));
      complete[parameter.name] = *parameter.default_value;
    }
  }
  return spec.build(complete);
}

std::string noise_models_help() {
  std::string text = "Noise models (parameter: valid range, default):\n";
  for (const auto& spec : noise_model_specs()) {
    text += fmt::format("  {:<13} {}\n", spec.name, spec.description);
    for (const auto& parameter : spec.parameters) {
      text += fmt::format(
          "      --{:<7} {}; {}{}\n", parameter.name, parameter.description, parameter.range,
          parameter.default_value ? fmt::format(", default {:g}", *parameter.default_value)
                                  : std::string(", required"));
    }
  }
  return text;
}

}  // namespace signopt
