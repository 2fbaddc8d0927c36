// signopt methods [NAME]: the optimizer recipes and the distributed recipes, their update rules,
// parameters and defaults.
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "command_registry.hpp"
#include "signopt/core/error.hpp"
#include "signopt/experiment/distributed_method.hpp"
#include "signopt/optim/method_registry.hpp"

namespace signopt::cli {
namespace {

void print_parameters(const std::vector<optim::ParamSpec>& parameters, bool lr_required) {
  fmt::print("  parameters:\n");
  for (const auto& p : parameters) {
    const std::string def = lr_required && p.name == "lr" ? "required" : p.default_text();
    fmt::print("    {:<15} default {:<10} valid {:<34} {}\n", p.name, def, p.valid_text(),
               p.description);
  }
}

void print_method(const optim::MethodInfo& m) {
  fmt::print("{}\n  {}\n  source: {}\n", m.name, m.description, m.source);
  print_parameters(m.parameters, false);
}

void print_distributed(const experiment::DistributedRecipeInfo& r) {
  fmt::print("{}  (distributed: a [[method]] with workers = M)\n  {}\n  source: {}\n", r.name,
             r.description, r.source);
  fmt::print("  compressor: {}\n  memory:     {}\n  aggregator: {}\n", r.compressor, r.memory,
             r.aggregator);
  print_parameters(r.parameters, true);
}

void setup_methods(CLI::App& cmd) {
  auto name = std::make_shared<std::string>();
  cmd.add_option("name", *name, "Show only this method");
  cmd.callback([name] {
    if (!name->empty()) {
      // A name can be both (ef-signsgd: the single-process recipe, and the distributed one a
      // [[method]] with workers = M runs): show every match.
      const auto names = optim::method_names();
      const bool single = std::find(names.begin(), names.end(), *name) != names.end();
      const bool distributed = experiment::is_distributed_recipe(*name);
      if (single) print_method(optim::method_info(*name));
      if (single && distributed) fmt::print("\n");
      if (distributed) print_distributed(experiment::distributed_recipe_info(*name));
      if (!single && !distributed) {
        std::string valid;
        for (const auto& n : names) valid += (valid.empty() ? "" : ", ") + n;
        valid += "; distributed (workers = M): ";
        bool first = true;
        for (const auto& n : distributed_recipe_names())
          valid += (std::exchange(first, false) ? "" : ", ") + n;
        fail("unknown method '{}' (valid: {})", *name, valid);
      }
      return;
    }
    fmt::print(
        "Optimizers (sign(0) = 0 in every sign method; docs/methods.md has the formulas)\n\n");
    for (const auto& m : optim::method_catalog()) {
      print_method(m);
      fmt::print("\n");
    }
    fmt::print(
        "Distributed recipes (a [[method]] with workers = M; the wire's sign(0) = +1; "
        "docs/distributed.md has the formulas and the bit accounting)\n\n");
    for (const auto& r : experiment::distributed_recipe_catalog()) {
      print_distributed(r);
      fmt::print("\n");
    }
  });
}

const CommandRegistration registration{
    {"methods", "List the optimizers and distributed recipes with their parameters and defaults",
     setup_methods}};

}  // namespace
}  // namespace signopt::cli
