#include "config_limits.hpp"

#include <cctype>
#include <cmath>

#include "signopt/core/error.hpp"
#include "signopt/experiment/config.hpp"
#include "signopt/noise/noise_registry.hpp"
#include "signopt/experiment/limits.hpp"

namespace signopt::experiment {
namespace {

// An integer or number at `key` of `table` above `limit`: an Error naming file:line and key.
// Values of the wrong type are left to the parser, which reports them.
void check_at_most(const toml::table& table, const std::string& prefix, const std::string& key, Index limit,
                   const std::string& source, const char* why) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return;
  const auto check = [&](const toml::node& value) {
    const auto v = value.value<double>();
    if (!v || !(value.is_integer() || value.is_floating_point())) return;
    if (*v > static_cast<double>(limit)) {
      fail("{}:{}: {}{} = {} exceeds the limit of {} ({})", source, value.source().begin.line, prefix, key,
           value.is_integer() ? std::to_string(*value.value<std::int64_t>()) : fmt::format("{:g}", *v), limit,
           why);
    }
  };
  if (const toml::array* array = node->as_array()) {
    for (const auto& item : *array) check(item);
  } else {
    check(*node);
  }
}

const toml::table* table_at(const toml::table& root, const char* key) {
  const toml::node* node = root.get(key);
  return node != nullptr ? node->as_table() : nullptr;
}

// `word` occurs in `text` as a whole word ("p" in "order p must", not in "parameter").
bool names_word(const std::string& text, const std::string& word) {
  const auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; };
  for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    const bool starts = at == 0 || !is_word(text[at - 1]);
    const bool ends = at + word.size() == text.size() || !is_word(text[at + word.size()]);
    if (starts && ends) return true;
  }
  return false;
}

// Length of the UTF-8 sequence starting at text[i] (0 if invalid: bad lead byte, truncated,
// overlong, a surrogate or above U+10FFFF).
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b = byte(i);
  std::size_t n = 0;
  std::uint32_t cp = 0;
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) {
    n = 2;
    cp = b & 0x1Fu;
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    cp = b & 0x0Fu;
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    cp = b & 0x07u;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0u) != 0x80u) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3Fu);
  }
  const bool overlong = (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
  if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
  return n;
}

}  // namespace

void check_toml_text(std::string_view text, const std::string& source) {
  enum class State { Normal, Comment, Basic, Literal, MultiBasic, MultiLiteral };
  State state = State::Normal;
  std::size_t line = 1, line_start = 0;
  const auto starts = [&](std::size_t i, std::string_view s) { return text.substr(i, s.size()) == s; };
  // Inside a basic string a backslash escapes the next character (never a line break).
  const auto escape_step = [&](std::size_t i) -> std::size_t {
    return i + 1 < text.size() && text[i + 1] != '\n' && static_cast<unsigned char>(text[i + 1]) < 0x80 ? 2 : 1;
  };
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    const std::size_t n = utf8_length(text, i);
    require(n != 0, "{}:{}:{}: not valid UTF-8 (byte 0x{:02x})", source, line, i - line_start + 1,
            static_cast<unsigned char>(c));
    if (n > 1) {
      require(state != State::Normal,
              "{}:{}:{}: a non-ASCII character outside a string or comment (TOML allows them only in "
              "strings and comments)",
              source, line, i - line_start + 1);
      i += n;
      continue;
    }
    std::size_t step = 1;
    switch (state) {
      case State::Normal:
        if (c == '#') {
          state = State::Comment;
        } else if (starts(i, R"(""")")) {
          state = State::MultiBasic;
          step = 3;
        } else if (starts(i, "'''")) {
          state = State::MultiLiteral;
          step = 3;
        } else if (c == '"') {
          state = State::Basic;
        } else if (c == '\'') {
          state = State::Literal;
        }
        break;
      case State::Comment:
        if (c == '\n') state = State::Normal;
        break;
      case State::Basic:
        if (c == '\\') {
          step = escape_step(i);
        } else if (c == '"' || c == '\n') {
          state = State::Normal;
        }
        break;
      case State::Literal:
        if (c == '\'' || c == '\n') state = State::Normal;
        break;
      case State::MultiBasic:
        if (c == '\\') {
          step = escape_step(i);
        } else if (starts(i, R"(""")")) {
          state = State::Normal;
          step = 3;
        }
        break;
      case State::MultiLiteral:
        if (starts(i, "'''")) {
          state = State::Normal;
          step = 3;
        }
        break;
    }
    for (std::size_t k = i; k < i + step; ++k) {
      if (text[k] == '\n') {
        ++line;
        line_start = k + 1;
      }
    }
    i += step;
  }
}

void check_noise_section(const toml::table& noise, const NoiseConfig& config, const std::string& source,
                         const std::string& section) {
  try {
    (void)make_noise_model(config.model, config.parameters);
  } catch (const Error& e) {
    const std::string what = e.what();
    // The line of the first parameter the message names, else of model, else of [noise].
    auto line = noise.source().begin.line;
    if (const toml::node* model = noise.get("model")) line = model->source().begin.line;
    for (auto&& [key, node] : noise) {
      const std::string k(key.str());
      if (k != "model" && names_word(what, k)) {
        line = key.source().begin.line;
        break;
      }
    }
    fail("{}:{}: [{}]: {}", source, line, section, what);
  }
}

void check_config_limits(const toml::table& root, const std::string& source) {
  check_at_most(root, "", "seeds", kMaxSeeds, source, "every run's trace is kept in memory");
  check_at_most(root, "", "iterations", kMaxIterations, source, "steps per run");
  check_at_most(root, "", "threads", kMaxThreads, source, "threads");
  if (const toml::table* p = table_at(root, "problem")) {
    check_at_most(*p, "problem.", "dim", kMaxDimension, source, "every run holds several vectors of length dim");
    check_at_most(*p, "problem.", "features", kMaxDimension, source,
                  "every run holds several vectors of that length");
    check_at_most(*p, "problem.", "hidden", kMaxHiddenWidth, source, "width of one layer");
    if (const toml::node* hidden = p->get("hidden"); hidden != nullptr && hidden->is_array()) {
      require(static_cast<Index>(hidden->as_array()->size()) <= kMaxHiddenLayers,
              "{}:{}: problem.hidden has {} layers, more than the limit of {}", source,
              hidden->source().begin.line, hidden->as_array()->size(), kMaxHiddenLayers);
    }
  }
  if (const toml::table* o = table_at(root, "oracle")) {
    check_at_most(*o, "oracle.", "batch", kMaxBatch, source, "samples per gradient draw");
  }
  if (const toml::table* e = table_at(root, "evaluation")) {
    check_at_most(*e, "evaluation.", "log_points", kMaxLogPoints, source, "rows of every run's trace");
  }
  if (const toml::table* t = table_at(root, "tuning")) {
    check_at_most(*t, "tuning.", "tuning_seeds", kMaxSeeds, source, "every run's trace is kept in memory");
    check_at_most(*t, "tuning.", "evaluation_seeds", kMaxSeeds, source, "every run's trace is kept in memory");
  }
  if (const toml::node* methods = root.get("method"); methods != nullptr && methods->is_array()) {
    for (const auto& method : *methods->as_array()) {
      if (const toml::table* m = method.as_table()) {
        check_at_most(*m, "method.", "workers", kMaxWorkers, source, "every worker holds its own gradient");
        check_at_most(*m, "method.", "iterations", kMaxIterations, source, "steps per run");
      }
    }
  }
}

}  // namespace signopt::experiment
