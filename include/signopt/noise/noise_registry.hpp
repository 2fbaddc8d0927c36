#pragma once
// Noise models by name: the one place that knows every model, its parameters, their defaults and
// valid ranges. Used by `signopt noise` and by the experiment config, which passes a model name
// and a map of numeric parameters.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "signopt/noise/noise_model.hpp"

namespace signopt {

// Numeric parameters by name, e.g. {{"alpha", 1.5}, {"scale", 0.1}}.
using NoiseParameters = std::map<std::string, double, std::less<>>;

struct NoiseParameterSpec {
  std::string name;                     // "alpha"
  std::optional<double> default_value;  // nullopt: the parameter is required
  std::string range;                    // valid values, for messages: "(0, 2]"
  std::string description;
};

struct NoiseModelSpec {
  std::string name;         // registry name: "alpha-stable"
  std::string description;  // one line for help texts
  std::vector<NoiseParameterSpec> parameters;
  // Builds the model from a complete parameter map (every parameter present).
  std::function<std::shared_ptr<const NoiseModel>(const NoiseParameters&)> build;
};

// Every model, in a fixed order: none, gaussian, student-t, alpha-stable, pareto, cauchy.
const std::vector<NoiseModelSpec>& noise_model_specs();

// The spec of one model; throws Error listing the valid names.
const NoiseModelSpec& noise_model_spec(std::string_view name);

// Builds a model. Parameters missing from `parameters` take their defaults; a missing required
// parameter, or a name that does not belong to the model, is an Error naming the model's valid
// parameters; out-of-range values are an Error from the model's constructor.
std::shared_ptr<const NoiseModel> make_noise_model(std::string_view name,
                                                   const NoiseParameters& parameters = {});

// A text block listing models and parameters, for `--help` screens.
std::string noise_models_help();

}  // namespace signopt
