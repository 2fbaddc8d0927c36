#include "study_config.hpp"

#include <fmt/format.h>

#include "signopt/core/error.hpp"
#include "toml_from_python.hpp"

namespace signopt::python {

experiment::ExperimentConfig study_config(const py::object& source, const std::string& kind,
                                          const ProblemHandle* objective) {
  if (objective == nullptr || !objective->is_callable) {
    if (kind == "path") return experiment::load_config(source.cast<std::string>());
    if (kind == "text")
      return experiment::parse_config(source.cast<std::string>(), "<config string>");
    if (kind == "dict") {
      return experiment::parse_config(toml_text_from_dict(source.cast<py::dict>()),
                                      "<config dict>");
    }
    throw py::value_error("config kind must be path, text or dict");
  }
  if (kind != "dict") throw py::value_error("a study around a Python objective is given as a dict");
  py::dict user = source.cast<py::dict>();
  py::dict placeholder;
  if (user.contains("problem")) {
    const py::object table = user["problem"];
    if (!py::isinstance<py::dict>(table)) throw py::value_error("problem must be a table (dict)");
    for (const auto& [key, value] : table.cast<py::dict>()) {
      const auto name = key.cast<std::string>();
      if (name != "start") {
        fail(
            "[problem] {}: a study of a Python objective takes only 'start' in [problem] (the "
            "objective is the problem)",
            name);
      }
      placeholder["start"] = value;
    }
  }
  placeholder["type"] = "quadratic";
  placeholder["dim"] = objective->problem->dim();
  py::dict parsed_source = user.attr("copy")();
  parsed_source["problem"] = placeholder;
  experiment::ExperimentConfig config =
      experiment::parse_config(toml_text_from_dict(parsed_source), "<config dict>");
  experiment::ProblemConfig problem;
  problem.type = "python";
  problem.dim = objective->problem->dim();
  problem.start = config.problem.start;
  config.problem = problem;
  config.text =
      fmt::format("# [problem]: {}\n{}", objective->description, toml_text_from_dict(user));
  return config;
}

}  // namespace signopt::python
