#include "signopt/optim/method_registry.hpp"

#include <functional>

#include "signopt/core/error.hpp"
#include "signopt/optim/recipes.hpp"

namespace signopt::optim {
namespace {

using Factory = std::function<std::unique_ptr<Optimizer>(const ResolvedParams&)>;

struct Entry {
  MethodInfo info;
  Factory make;
};

template <typename Recipe>
Entry entry_for() {
  Entry e;
  e.info.name = std::string(Recipe::name);
  e.info.description = std::string(Recipe::description);
  e.info.source = std::string(Recipe::source);
  e.info.parameters = Recipe::parameters();
  e.make = [](const ResolvedParams& p) -> std::unique_ptr<Optimizer> {
    return std::make_unique<ComposedOptimizer<typename Recipe::ChainType>>(
        std::string(Recipe::name), Recipe::make(p), recipes::step_size_schedule(p),
        recipes::batches_of<Recipe>(p));
  };
  return e;
}

template <typename... Rs>
std::vector<Entry> entries_for(recipes::RecipeList<Rs...>) {
  return {entry_for<Rs>()...};
}

const std::vector<Entry>& entries() {
  static const std::vector<Entry> all = entries_for(recipes::AllRecipes{});
  return all;
}

const Entry& find_entry(std::string_view name) {
  for (const auto& e : entries()) {
    if (e.info.name == name) return e;
  }
  std::string valid;
  for (const auto& e : entries()) valid += (valid.empty() ? "" : ", ") + e.info.name;
  fail("unknown optimizer '{}' (valid: {})", name, valid);
}

}  // namespace

const std::vector<MethodInfo>& method_catalog() {
  static const std::vector<MethodInfo> catalog = [] {
    std::vector<MethodInfo> out;
    for (const auto& e : entries()) out.push_back(e.info);
    return out;
  }();
  return catalog;
}

std::vector<std::string> method_names() {
  std::vector<std::string> names;
  for (const auto& e : entries()) names.push_back(e.info.name);
  return names;
}

const MethodInfo& method_info(std::string_view name) { return find_entry(name).info; }

std::unique_ptr<Optimizer> make_optimizer(std::string_view name, const Params& params) {
  const Entry& e = find_entry(name);
  return e.make(resolve_params(e.info.name, e.info.parameters, params));
}

}  // namespace signopt::optim
