#include "signopt/optim/method_params.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

#include "signopt/core/error.hpp"

namespace signopt::optim {
namespace {

std::string number_text(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (std::floor(v) == v && std::abs(v) < 1e15) return fmt::format("{:.0f}", v);
  return fmt::format("{:g}", v);
}

std::string join_names(const std::vector<ParamSpec>& specs) {
  std::string out;
  for (const auto& s : specs) out += (out.empty() ? "" : ", ") + s.name;
  return out;
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

// A number written as text (from a config or the CLI); nullopt unless the whole text parses.
std::optional<double> parse_number(const std::string& text) {
  double v = 0.0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc{} || ptr != end || text.empty()) return std::nullopt;
  return v;
}

}  // namespace

std::string ParamValue::to_string() const { return is_number() ? number_text(number()) : text(); }

ParamSpec ParamSpec::real(std::string name, double default_value, double lower, bool lower_open,
                          double upper, bool upper_open, std::string description) {
  ParamSpec s;
  s.name = std::move(name);
  s.kind = ParamKind::Real;
  s.default_number = default_value;
  s.lower = lower;
  s.lower_open = lower_open;
  s.upper = upper;
  s.upper_open = upper_open;
  s.description = std::move(description);
  return s;
}

ParamSpec ParamSpec::integer(std::string name, Index default_value, Index lower, Index upper,
                             std::string description) {
  ParamSpec s;
  s.name = std::move(name);
  s.kind = ParamKind::Integer;
  s.default_number = static_cast<double>(default_value);
  s.lower = static_cast<double>(lower);
  s.upper = static_cast<double>(upper);
  s.description = std::move(description);
  return s;
}

ParamSpec ParamSpec::choice(std::string name, std::string default_value,
                            std::vector<std::string> choices, std::string description) {
  ParamSpec s;
  s.name = std::move(name);
  s.kind = ParamKind::Choice;
  s.default_choice = std::move(default_value);
  s.choices = std::move(choices);
  s.description = std::move(description);
  return s;
}

std::string ParamSpec::valid_text() const {
  switch (kind) {
    case ParamKind::Choice:
      return "one of " + join(choices);
    case ParamKind::Integer:
      return fmt::format("integer in [{}, {}]", number_text(lower), number_text(upper));
    case ParamKind::Real:
      return fmt::format("{}{}, {}{}", lower_open ? "(" : "[", number_text(lower),
                         number_text(upper), upper_open ? ")" : "]");
  }
  return "?";
}

std::string ParamSpec::default_text() const {
  return kind == ParamKind::Choice ? default_choice : number_text(default_number);
}

bool ParamSpec::accepts(double v) const {
  if (std::isnan(v)) return false;
  if (kind == ParamKind::Integer && (std::floor(v) != v || !std::isfinite(v))) return false;
  if (kind == ParamKind::Real && !std::isfinite(v) && !(std::isinf(v) && std::isinf(upper))) {
    return false;
  }
  const bool above = lower_open ? v > lower : v >= lower;
  const bool below = upper_open ? v < upper : v <= upper;
  return above && below;
}

double ResolvedParams::number(std::string_view name) const {
  const auto it = numbers_.find(name);
  if (it == numbers_.end()) fail("internal: numeric parameter '{}' is not defined", name);
  return it->second;
}

Index ResolvedParams::integer(std::string_view name) const {
  return static_cast<Index>(number(name));
}

const std::string& ResolvedParams::choice(std::string_view name) const {
  const auto it = choices_.find(name);
  if (it == choices_.end()) fail("internal: choice parameter '{}' is not defined", name);
  return it->second;
}

bool ResolvedParams::was_given(std::string_view name) const {
  return std::find(given_.begin(), given_.end(), name) != given_.end();
}

ResolvedParams resolve_params(std::string_view method, const std::vector<ParamSpec>& specs,
                              const Params& params) {
  for (const auto& entry : params) {
    const auto& name = entry.first;  // a named variable: clang 14 (make fuzz) cannot capture a binding
    const bool known =
        std::any_of(specs.begin(), specs.end(), [&](const ParamSpec& s) { return s.name == name; });
    if (!known) {
      fail("method '{}' has no parameter '{}' (valid: {})", method, name, join_names(specs));
    }
  }
  ResolvedParams out;
  for (const auto& spec : specs) {
    const auto it = params.find(spec.name);
    if (it != params.end()) out.given_.push_back(spec.name);
    if (spec.kind == ParamKind::Choice) {
      std::string v = spec.default_choice;
      if (it != params.end()) {
        if (it->second.is_number()) {
          fail("parameter '{}' of method '{}' must be {}, got the number {}", spec.name, method,
               spec.valid_text(), it->second.to_string());
        }
        v = it->second.text();
        if (std::find(spec.choices.begin(), spec.choices.end(), v) == spec.choices.end()) {
          fail("parameter '{}' of method '{}' must be {}, got '{}'", spec.name, method,
               spec.valid_text(), v);
        }
      }
      out.choices_[spec.name] = v;
    } else {
      double v = spec.default_number;
      if (it != params.end()) {
        if (it->second.is_number()) {
          v = it->second.number();
        } else {
          const auto parsed = parse_number(it->second.text());
          if (!parsed) {
            fail("parameter '{}' of method '{}' must be a number ({}), got '{}'", spec.name, method,
                 spec.valid_text(), it->second.text());
          }
          v = *parsed;
        }
        if (!spec.accepts(v)) {
          fail("parameter '{}' of method '{}' must be {}, got {}", spec.name, method,
               spec.valid_text(), it->second.to_string());
        }
      }
      out.numbers_[spec.name] = v;
    }
  }
  return out;
}

}  // namespace signopt::optim
