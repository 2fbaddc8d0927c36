// signopt methods [NAME]: the optimizer recipes, their update rules, parameters and defaults.
#include <fmt/format.h>

#include <memory>

#include "command_registry.hpp"
#include "signopt/optim/method_registry.hpp"

namespace signopt::cli {
namespace {

void print_method(const optim::MethodInfo& m) {
  fmt::print("{}\n  {}\n  source: {}\n  parameters:\n", m.name, m.description, m.source);
  for (const auto& p : m.parameters) {
    fmt::print("    {:<15} default {:<10} valid {:<34} {}\n", p.name, p.default_text(),
               p.valid_text(), p.description);
  }
}

void setup_methods(CLI::App& cmd) {
  auto name = std::make_shared<std::string>();
  cmd.add_option("name", *name, "Show only this method");
  cmd.callback([name] {
    if (!name->empty()) {
      print_method(optim::method_info(*name));
      return;
    }
    fmt::print("Optimizers (sign(0) = 0 in every sign method; docs/methods.md has the formulas)\n\n");
    for (const auto& m : optim::method_catalog()) {
      print_method(m);
      fmt::print("\n");
    }
  });
}

const CommandRegistration registration{
    {"methods", "List the optimizers with their parameters and defaults", setup_methods}};

}  // namespace
}  // namespace signopt::cli
