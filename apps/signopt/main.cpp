// signopt: sign-based stochastic optimisation, from the command line.
#include <algorithm>
#include <cstdio>
#include <exception>

#include <malloc.h>

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
  // Keep freed memory for reuse instead of returning it to the system: commands allocate and
  // free multi-megabyte buffers (data, traces, report text), and faulting fresh pages in again
  // cost about 5% of the default study's time (page faults are dear on virtual machines).
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
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
