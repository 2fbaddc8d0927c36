#pragma once
// Parameters of optimizer recipes: what the registry accepts from configs and the CLI.
//
// A caller passes a simple map name → value (a number, or a word for the few parameters that
// choose a kind, such as the step-size schedule). resolve_params() checks every entry against
// the recipe's specs — unknown names, wrong kinds and out-of-range values are Errors that name
// the parameter and list what is valid — and fills in defaults.
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "signopt/core/types.hpp"

namespace signopt::optim {

class ParamValue {
 public:
  ParamValue(double v) : value_(v) {}  // NOLINT: implicit on purpose, {"beta", 0.9}
  ParamValue(int v) : value_(static_cast<double>(v)) {}
  ParamValue(long v) : value_(static_cast<double>(v)) {}
  ParamValue(long long v) : value_(static_cast<double>(v)) {}
  ParamValue(std::string v) : value_(std::move(v)) {}
  ParamValue(const char* v) : value_(std::string(v)) {}

  bool is_number() const { return std::holds_alternative<double>(value_); }
  double number() const { return std::get<double>(value_); }
  const std::string& text() const { return std::get<std::string>(value_); }
  std::string to_string() const;

 private:
  std::variant<double, std::string> value_;
};

using Params = std::map<std::string, ParamValue, std::less<>>;

enum class ParamKind { Real, Integer, Choice };

struct ParamSpec {
  std::string name;
  ParamKind kind = ParamKind::Real;
  std::string description;
  double default_number = 0.0;
  std::string default_choice;
  double lower = -std::numeric_limits<double>::infinity();
  double upper = std::numeric_limits<double>::infinity();
  bool lower_open = false;  // lower bound excluded
  bool upper_open = false;  // upper bound excluded
  std::vector<std::string> choices;

  static ParamSpec real(std::string name, double default_value, double lower, bool lower_open,
                        double upper, bool upper_open, std::string description);
  static ParamSpec integer(std::string name, Index default_value, Index lower, Index upper,
                           std::string description);
  static ParamSpec choice(std::string name, std::string default_value,
                          std::vector<std::string> choices, std::string description);

  // "(0, inf)", "[0, 1)", "integer in [1, 1000000]", "one of constant, inv-sqrt, step".
  std::string valid_text() const;
  std::string default_text() const;
  bool accepts(double v) const;
};

// All parameters of one recipe, validated, defaults filled in.
class ResolvedParams {
 public:
  double number(std::string_view name) const;
  Index integer(std::string_view name) const;
  const std::string& choice(std::string_view name) const;
  bool was_given(std::string_view name) const;  // set by the caller, not a default

 private:
  friend ResolvedParams resolve_params(std::string_view, const std::vector<ParamSpec>&,
                                       const Params&);
  std::map<std::string, double, std::less<>> numbers_;
  std::map<std::string, std::string, std::less<>> choices_;
  std::vector<std::string> given_;
};

// Throws Error for an unknown parameter, a value of the wrong kind (a word where a number is
// expected is accepted when it parses completely as a number) or a value out of range.
ResolvedParams resolve_params(std::string_view method, const std::vector<ParamSpec>& specs,
                              const Params& params);

}  // namespace signopt::optim
