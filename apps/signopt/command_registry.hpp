#pragma once
// Subcommands register themselves: each apps/signopt/command_*.cpp defines a setup function
// and a static CommandRegistration, so a new command touches no shared file.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace signopt::cli {

struct CommandSpec {
  std::string name;
  std::string description;
  // Adds options to `command` and sets its callback. The callback throws signopt::Error on bad
  // input (exit code 2).
  std::function<void(CLI::App& command)> setup;
};

std::vector<CommandSpec>& command_registry();

struct CommandRegistration {
  explicit CommandRegistration(CommandSpec spec) { command_registry().push_back(std::move(spec)); }
};

}  // namespace signopt::cli
