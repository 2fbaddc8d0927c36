// signopt: sign-based stochastic optimisation, from the command line.
#include <algorithm>
#include <cstdio>
#include <exception>

#include <fmt/format.h>

#include "command_registry.hpp"
#include "signopt/core/error.hpp"

namespace signopt::cli {

std::vector<CommandSpec>& command_registry() {
  static std::vector<CommandSpec> registry;
  return registry;
}

}  // namespace signopt::cli

int main(int argc, char** argv) {
  using namespace signopt;
  CLI::App app{"signopt " SIGNOPT_VERSION
               " — sign-based stochastic optimisation under (L0,L1)-smoothness and heavy-tailed "
               "noise"};
  app.set_version_flag("--version", "signopt " SIGNOPT_VERSION);
  app.require_subcommand(1);
  auto& registry = cli::command_registry();
  std::sort(registry.begin(), registry.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  for (const auto& spec : registry) {
    CLI::App* sub = app.add_subcommand(spec.name, spec.description);
    spec.setup(*sub);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help, --version
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  } catch (const Error& e) {
    fmt::print(stderr, "signopt: error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "signopt: internal error: {}\n", e.what());
    return 1;
  }
  return 0;
}
