#include "signopt/experiment/config.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "config_limits.hpp"
#include "signopt/core/error.hpp"
#include "signopt/experiment/start_point.hpp"

namespace signopt::experiment {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// Reads one TOML table, checking types and remembering which keys were read, so that unknown
// keys can be reported with their line and the list of valid ones.
class Section {
 public:
  Section(const toml::table& table, std::string name, const std::string& source,
          std::vector<std::string> valid_keys)
      : table_(table), name_(std::move(name)), source_(source), valid_(std::move(valid_keys)) {
    for (auto&& [key, node] : table_) {
      const std::string k(key.str());
      if (std::find(valid_.begin(), valid_.end(), k) == valid_.end()) {
        fail("{}:{}: unknown key '{}' in {} (valid keys: {})", source_, key.source().begin.line, k,
             where(), join(valid_));
      }
    }
  }

  bool has(const std::string& key) const { return table_.contains(key); }

  [[noreturn]] void error(const std::string& key, const std::string& what) const {
    const toml::node* node = table_.get(key);
    const auto line = node != nullptr ? node->source().begin.line : table_.source().begin.line;
    fail("{}:{}: {}{}: {}", source_, line, prefix(), key, what);
  }

  std::optional<double> number(const std::string& key) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::nullopt;
    if (auto v = node->value<double>(); v && (node->is_floating_point() || node->is_integer())) {
      if (!std::isfinite(*v)) error(key, "must be a finite number");
      return *v;
    }
    error(key, fmt::format("expected a number, found {}", type_name(*node)));
  }
  double number(const std::string& key, double fallback) const { return number(key).value_or(fallback); }

  std::optional<std::int64_t> integer(const std::string& key) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::nullopt;
    if (node->is_integer()) return node->as_integer()->get();
    error(key, fmt::format("expected an integer, found {}", type_name(*node)));
  }

  std::optional<std::string> text(const std::string& key) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::nullopt;
    if (node->is_string()) return node->as_string()->get();
    error(key, fmt::format("expected a string, found {}", type_name(*node)));
  }

  std::optional<bool> boolean(const std::string& key) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::nullopt;
    if (node->is_boolean()) return node->as_boolean()->get();
    error(key, fmt::format("expected true or false, found {}", type_name(*node)));
  }

  std::vector<double> numbers(const std::string& key) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return {};
    const toml::array* array = node->as_array();
    if (array == nullptr) error(key, fmt::format("expected an array of numbers, found {}", type_name(*node)));
    std::vector<double> out;
    for (const auto& item : *array) {
      auto v = item.value<double>();
      if (!v || !(item.is_integer() || item.is_floating_point()) || !std::isfinite(*v)) {
        error(key, "expected an array of finite numbers");
      }
      out.push_back(*v);
    }
    return out;
  }

  const toml::table& table() const { return table_; }
  const std::string& source() const { return source_; }
  std::string where() const { return name_.empty() ? "the top level" : "[" + name_ + "]"; }
  std::string prefix() const { return name_.empty() ? "" : name_ + "."; }

  static std::string type_name(const toml::node& node) {
    switch (node.type()) {
      case toml::node_type::string: return "a string";
      case toml::node_type::integer: return "an integer";
      case toml::node_type::floating_point: return "a number";
      case toml::node_type::boolean: return "a boolean";
      case toml::node_type::array: return "an array";
      case toml::node_type::table: return "a table";
      default: return "a date/time";
    }
  }

 private:
  const toml::table& table_;
  std::string name_;
  const std::string& source_;
  std::vector<std::string> valid_;
};

const toml::table& sub_table(const toml::table& root, const std::string& key, const std::string& source) {
  static const toml::table empty;
  const toml::node* node = root.get(key);
  if (node == nullptr) return empty;
  if (!node->is_table()) {
    fail("{}:{}: '{}' must be a table ([{}])", source, node->source().begin.line, key, key);
  }
  return *node->as_table();
}

bool is_vector_file(const std::string& s) {
  const auto ext = std::filesystem::path(s).extension().string();
  return ext == ".npy" || ext == ".csv" || ext == ".txt";
}

// Parses a `start` value (start_point.hpp); errors name "source:line: KEY".
StartConfig parse_start(const toml::node& node, const std::string& source, const std::string& key) {
  const auto line = node.source().begin.line;
  const auto where = fmt::format("{}:{}: {}", source, line, key);
  StartConfig s;
  if (node.is_integer() || node.is_floating_point()) {
    s.kind = StartConfig::Kind::Constant;
    s.value = *node.value<double>();
  } else if (node.is_string()) {
    const std::string text = node.as_string()->get();
    if (text == "zeros") {
      s.kind = StartConfig::Kind::Zeros;
    } else if (text == "default") {
      s.kind = StartConfig::Kind::ProblemDefault;
    } else if (is_vector_file(text)) {
      s.kind = StartConfig::Kind::File;
      s.file = text;
    } else {
      fail("{}: unknown start '{}' (valid: \"default\", \"zeros\", a number, "
           "{{ distribution = \"normal\", mean = 0, std = 1 }}, or a .npy/.csv/.txt file)",
           where, text);
    }
  } else if (const toml::table* t = node.as_table()) {
    for (auto&& [k, v] : *t) {
      const std::string name(k.str());
      if (name != "distribution" && name != "mean" && name != "std" && name != "file") {
        fail("{}:{}: unknown key '{}' in {} (valid: distribution, mean, std; or file)", source,
             k.source().begin.line, name, key);
      }
    }
    auto number = [&](const char* name, double fallback) {
      const toml::node* n = t->get(name);
      if (n == nullptr) return fallback;
      require(n->is_integer() || n->is_floating_point(), "{}.{}: expected a number", where, name);
      return *n->value<double>();
    };
    if (const toml::node* f = t->get("file")) {
      require(f->is_string(), "{}.file: expected a file name", where);
      require(t->size() == 1, "{}: a start file takes no other keys", where);
      s.kind = StartConfig::Kind::File;
      s.file = f->as_string()->get();
    } else {
      const toml::node* dist = t->get("distribution");
      require(dist != nullptr && dist->is_string(), "{}: needs distribution = \"normal\" (or file = \"...\")", where);
      const std::string d = dist->as_string()->get();
      require(d == "normal", "{}.distribution: unknown distribution '{}' (valid: normal)", where, d);
      s.kind = StartConfig::Kind::Normal;
      s.mean = number("mean", 0.0);
      s.std = number("std", 1.0);
    }
  } else {
    fail("{}: expected \"zeros\", a number, a table or a file name", where);
  }
  s.validate(where);
  return s;
}

Index positive_integer(const Section& s, const std::string& key, Index fallback, Index minimum = 1) {
  const auto v = s.integer(key);
  if (!v) return fallback;
  if (*v < minimum) s.error(key, fmt::format("must be an integer ≥ {}, got {}", minimum, *v));
  return static_cast<Index>(*v);
}

// The [problem] keys each problem type reads.
const std::vector<std::string>& problem_keys(const std::string& type) {
  static const std::map<std::string, std::vector<std::string>> keys{
      {"logistic-regression",
       {"data", "features", "test_fraction", "split_seed", "standardize", "lambda", "intercept", "start",
        "train_limit"}},
      {"quadratic", {"dim", "start", "eigenvalues", "condition"}},
      {"quartic", {"dim", "start"}},
      {"double-well", {"dim", "start"}},
      {"cosh-sum", {"dim", "start", "eigenvalues"}},
      {"softmax",
       {"data", "features", "test_fraction", "split_seed", "standardize", "lambda", "intercept", "start",
        "precision", "train_limit"}},
      {"mlp",
       {"data", "features", "test_fraction", "split_seed", "standardize", "lambda", "start", "hidden",
        "activation", "precision", "train_limit"}},
  };
  static const std::vector<std::string> none;
  const auto it = keys.find(type);
  return it == keys.end() ? none : it->second;
}

void parse_problem(const Section& s, ProblemConfig& p) {
  const auto type = s.text("type");
  if (!type) s.error("type", "is required (logistic-regression, quadratic, quartic, double-well, cosh-sum, softmax, mlp)");
  p.type = *type;
  const std::vector<std::string> types{"logistic-regression", "quadratic", "quartic", "double-well",
                                       "cosh-sum", "softmax", "mlp"};
  if (std::find(types.begin(), types.end(), p.type) == types.end()) {
    s.error("type", fmt::format("unknown problem '{}' (valid: {})", p.type, join(types)));
  }
  p.data = s.text("data").value_or("");
  if (const auto f = s.integer("features")) {
    if (*f < 1) s.error("features", "must be ≥ 1");
    p.features = *f;
  }
  p.test_fraction = s.number("test_fraction", p.test_fraction);
  if (!(p.test_fraction >= 0 && p.test_fraction < 1)) s.error("test_fraction", "must be in [0, 1)");
  if (const auto v = s.integer("split_seed")) {
    if (*v < 0) s.error("split_seed", "must be ≥ 0");
    p.split_seed = static_cast<std::uint64_t>(*v);
  }
  p.standardize = s.boolean("standardize").value_or(false);
  p.lambda = s.number("lambda", 0.0);
  if (p.lambda < 0) s.error("lambda", "must be ≥ 0");
  p.dim = positive_integer(s, "dim", 0);
  if (const toml::node* start = s.table().get("start")) p.start = parse_start(*start, s.source(), "problem.start");
  p.intercept = s.boolean("intercept").value_or(false);
  p.eigenvalues = s.numbers("eigenvalues");
  for (double e : p.eigenvalues) {
    if (e < 0) s.error("eigenvalues", "must be ≥ 0 (A is positive semi-definite)");
  }
  p.condition = s.number("condition", 1.0);
  if (p.condition < 1) s.error("condition", "must be ≥ 1");
  for (double h : s.numbers("hidden")) {
    if (h < 1 || h != std::floor(h)) s.error("hidden", "must be positive integers (layer widths)");
    p.hidden.push_back(static_cast<Index>(h));
  }
  p.activation = s.text("activation").value_or("relu");
  if (p.activation != "relu" && p.activation != "tanh") s.error("activation", "must be relu or tanh");
  p.precision = s.text("precision").value_or("");
  if (!p.precision.empty() && p.precision != "float32" && p.precision != "float64") {
    s.error("precision", "must be float32 or float64");
  }
  if (const auto v = s.integer("train_limit")) {
    if (*v < 1) s.error("train_limit", "must be ≥ 1");
    p.train_limit = *v;
  }

  // A key the problem does not use is an error, never ignored.
  const auto& used = problem_keys(p.type);
  for (auto&& [key, node] : s.table()) {
    const std::string k(key.str());
    if (k != "type" && std::find(used.begin(), used.end(), k) == used.end()) {
      s.error(k, fmt::format("does not apply to {} (its keys: type, {})", p.type, join(used)));
    }
  }

  const bool needs_data = p.type == "logistic-regression" || p.type == "softmax" || p.type == "mlp";
  if (needs_data && p.data.empty()) s.error("data", fmt::format("is required for {}", p.type));
  if (!needs_data) {
    if (p.type == "quadratic" && !p.eigenvalues.empty()) {
      if (p.dim != 0 && p.dim != static_cast<Index>(p.eigenvalues.size())) {
        s.error("dim", "disagrees with the number of eigenvalues");
      }
      p.dim = static_cast<Index>(p.eigenvalues.size());
    }
    if (p.dim < 1) s.error("dim", fmt::format("is required for {} (an integer ≥ 1)", p.type));
  }
}

// A noise table: model = "..." and the model's numeric parameters (checked when the model is
// built, by the noise registry).
NoiseConfig parse_noise(const toml::table& t, const std::string& source, const std::string& name) {
  std::vector<std::string> keys{"model"};
  for (auto&& [key, node] : t) {
    if (key.str() != "model") keys.emplace_back(key.str());
  }
  const Section s(t, name, source, keys);
  NoiseConfig noise;
  noise.model = s.text("model").value_or("none");
  for (const auto& k : keys) {
    if (k != "model") noise.parameters[k] = *s.number(k);
  }
  check_noise_section(t, noise, source, name);  // config_limits.hpp: errors with file:line
  return noise;
}

// A grid of a method parameter (parameter_grid.hpp): a list of numbers, or
// { log = [low, high], points = n } / { linear = [low, high], points = n }.
GridAxis parse_grid_axis(const toml::node& node, const std::string& source,
                         const std::string& key) {
  const int line = static_cast<int>(node.source().begin.line);
  const std::string where = fmt::format("{}:{}: method.{}", source, line, key);
  const auto number = [&](const toml::node& item) -> std::optional<double> {
    if (!(item.is_integer() || item.is_floating_point())) return std::nullopt;
    return item.value<double>();
  };
  if (const toml::array* list = node.as_array()) {
    std::vector<double> values;
    for (const auto& item : *list) {
      const auto v = number(item);
      if (!v) {
        fail(
            "{}: a grid takes numbers only, found {} (a grid over words, such as a schedule or "
            "\"theory\", is not supported: write one [[method]] per word)",
            where, Section::type_name(item));
      }
      values.push_back(*v);
    }
    return GridAxis::list(key, std::move(values), line, where);
  }
  const toml::table& t = *node.as_table();
  for (auto&& [k, v] : t) {
    const std::string name(k.str());
    if (name != "log" && name != "linear" && name != "points") {
      fail("{}:{}: unknown key '{}' in the grid of method.{} (valid: log or linear, and points)",
           source, k.source().begin.line, name, key);
    }
  }
  const bool log = t.contains("log");
  if (log == t.contains("linear")) {
    fail(
        "{}: a grid range needs exactly one of log = [low, high] or linear = [low, high] (with "
        "points = n)",
        where);
  }
  const char* kind = log ? "log" : "linear";
  const toml::array* ends = t.get(kind)->as_array();
  if (ends == nullptr || ends->size() != 2 || !number(*ends->get(0)) || !number(*ends->get(1))) {
    fail("{}.{}: expected two numbers [low, high]", where, kind);
  }
  const toml::node* points = t.get("points");
  if (points == nullptr) fail("{}: a grid range needs points = n (the number of values)", where);
  if (!points->is_integer())
    fail("{}.points: expected an integer, found {}", where, Section::type_name(*points));
  return GridAxis::range(key, *number(*ends->get(0)), *number(*ends->get(1)),
                         points->as_integer()->get(), log, line, where);
}

void parse_method(const toml::table& table, const std::string& source, std::size_t index,
                  MethodConfig& m) {
  const auto line = table.source().begin.line;
  m.line = static_cast<int>(line);
  for (auto&& [key, node] : table) {
    const std::string k(key.str());
    const bool grid = node.is_array() || node.is_table();
    if (grid &&
        (k == "label" || k == "recipe" || k == "iterations" || k == "workers" || k == "start")) {
      if (k != "start" || node.is_array()) {
        fail(
            "{}:{}: method.{}: grids are for the recipe's numeric parameters (lr, beta, ...), not "
            "for {}",
            source, key.source().begin.line, k, k);
      }
    }
    if (k == "label" || k == "recipe") {
      if (!node.is_string()) {
        fail("{}:{}: method.{} must be a string", source, key.source().begin.line, k);
      }
      (k == "label" ? m.label : m.recipe) = node.as_string()->get();
    } else if (k == "iterations") {
      if (!node.is_integer() || node.as_integer()->get() < 1) {
        fail("{}:{}: method.iterations must be an integer ≥ 1", source, key.source().begin.line);
      }
      m.iterations = node.as_integer()->get();
    } else if (k == "start") {
      m.start = parse_start(node, source, "method.start");
    } else if (k == "noise") {
      if (!node.is_table()) {
        fail("{}:{}: method.noise must be a table ([method.noise] after its [[method]])", source,
             key.source().begin.line);
      }
      m.noise = parse_noise(*node.as_table(), source, "method.noise");
    } else if (k == "workers") {
      if (!node.is_integer() || node.as_integer()->get() < 1) {
        fail("{}:{}: method.workers must be an integer ≥ 1", source, key.source().begin.line);
      }
      m.workers = node.as_integer()->get();
    } else if (node.is_integer() || node.is_floating_point()) {
      const double v = *node.value<double>();
      if (!std::isfinite(v)) fail("{}:{}: method parameter {} must be finite", source, key.source().begin.line, k);
      m.params.emplace(k, v);
    } else if (node.is_string()) {
      m.params.emplace(k, node.as_string()->get());
    } else if (grid) {
      m.grid.push_back(parse_grid_axis(node, source, k));
    } else {
      fail("{}:{}: method parameter {} must be a number or a string, found {}", source,
           key.source().begin.line, k, Section::type_name(node));
    }
  }
  if (m.recipe.empty()) {
    fail("{}:{}: method #{} needs recipe = \"...\" (see `signopt methods`)", source, line, index + 1);
  }
  if (m.label.empty()) m.label = m.recipe;
  for (char c : m.label) {
    if (c == ',' || c == '"' || c == '\n' || c == '/' || c == '\\') {
      fail("{}:{}: method label '{}' may not contain , \" / \\ or newlines", source, line, m.label);
    }
  }
}

// [tuning] (TuningConfig): the seeds of the two phases replace the study's seeds and first_seed.
void parse_tuning(const toml::table& root, const Section& top, ExperimentConfig& c) {
  const std::string& source = top.source();
  if (!root.contains("tuning")) return;
  const toml::table& table = sub_table(root, "tuning", source);
  const Section s(table, "tuning", source,
                  {"metric", "statistic", "last_fraction", "tuning_seeds", "tuning_first_seed",
                   "evaluation_seeds", "evaluation_first_seed"});
  for (const char* key : {"seeds", "first_seed"}) {
    if (top.has(key)) {
      top.error(
          key,
          "a study with [tuning] takes its seeds from [tuning] (tuning_seeds, tuning_first_seed, "
          "evaluation_seeds, evaluation_first_seed)");
    }
  }
  TuningConfig t;
  t.line = static_cast<int>(table.source().begin.line);
  const auto metric = s.text("metric");
  if (!metric || metric->empty()) {
    s.error("metric",
            "is required: the metric the best combination minimises (an accuracy: maximises), "
            "e.g. \"train_gap\" or \"test_accuracy\"");
  }
  t.metric = *metric;
  t.statistic = s.text("statistic").value_or(t.statistic);
  if (t.statistic != "median" && t.statistic != "mean") {
    s.error("statistic",
            fmt::format("must be median or mean (across the tuning seeds), got '{}'", t.statistic));
  }
  t.last_fraction = s.number("last_fraction", 0.0);
  if (!(t.last_fraction >= 0 && t.last_fraction < 1)) {
    s.error("last_fraction",
            "must be in [0, 1): 0 = each run's final value, 0.1 = its mean over the last 10 % "
            "of its iterations");
  }
  t.tuning_seeds = positive_integer(s, "tuning_seeds", t.tuning_seeds);
  t.evaluation_seeds = positive_integer(s, "evaluation_seeds", t.evaluation_seeds);
  if (const auto v = s.integer("tuning_first_seed")) {
    if (*v < 0) s.error("tuning_first_seed", "must be ≥ 0");
    t.tuning_first_seed = static_cast<std::uint64_t>(*v);
  }
  t.evaluation_first_seed = t.tuning_first_seed + static_cast<std::uint64_t>(t.tuning_seeds);
  if (const auto v = s.integer("evaluation_first_seed")) {
    if (*v < 0) s.error("evaluation_first_seed", "must be ≥ 0");
    t.evaluation_first_seed = static_cast<std::uint64_t>(*v);
  }
  const auto tuning_end = t.tuning_first_seed + static_cast<std::uint64_t>(t.tuning_seeds);
  const auto evaluation_end =
      t.evaluation_first_seed + static_cast<std::uint64_t>(t.evaluation_seeds);
  if (t.evaluation_first_seed < tuning_end && t.tuning_first_seed < evaluation_end) {
    s.error(s.has("evaluation_first_seed") ? "evaluation_first_seed" : "tuning_first_seed",
            fmt::format("the evaluation seeds {}..{} overlap the tuning seeds {}..{}: they must be "
                        "disjoint, or the "
                        "comparison would be scored on the runs that chose the settings",
                        t.evaluation_first_seed, evaluation_end - 1, t.tuning_first_seed,
                        tuning_end - 1));
  }
  c.seeds = t.tuning_seeds;
  c.first_seed = t.tuning_first_seed;
  c.tuning = t;
}

}  // namespace

Index ExperimentConfig::iterations_of(std::size_t method) const {
  return methods.at(method).iterations.value_or(iterations);
}

const NoiseConfig& ExperimentConfig::noise_of(std::size_t method) const {
  const auto& m = methods.at(method);
  return m.noise ? *m.noise : noise;
}

const StartConfig& ExperimentConfig::start_of(std::size_t method) const {
  const auto& m = methods.at(method);
  return m.start ? *m.start : problem.start;
}

Index ExperimentConfig::max_iterations() const {
  Index t = iterations;
  for (std::size_t i = 0; i < methods.size(); ++i) t = std::max(t, iterations_of(i));
  return t;
}

void ExperimentConfig::override_workers(Index M) {
  require(M >= 1, "--workers must be ≥ 1, got {}", M);
  for (auto& m : methods) {
    if (m.workers > 0 && m.workers != M) {
      m.label += fmt::format(" (run at M={} by --workers)", M);
      m.workers = M;
    }
  }
}

ExperimentConfig ExperimentConfig::with_method_settings(std::size_t method) const {
  ExperimentConfig own = *this;
  own.noise = noise_of(method);
  own.problem.start = start_of(method);
  own.iterations = iterations_of(method);
  return own;
}

bool ExperimentConfig::has_method_overrides() const {
  return std::any_of(methods.begin(), methods.end(),
                     [](const MethodConfig& m) { return m.iterations || m.noise || m.start; });
}

std::vector<Index> ExperimentConfig::evaluation_iterations(Index T) const {
  const Index iterations = T;
  std::set<Index> its{0, iterations};
  if (evaluation.log_points > 0) {
    const double top = std::log(static_cast<double>(iterations));
    for (Index i = 0; i < evaluation.log_points; ++i) {
      const double frac = static_cast<double>(i) / static_cast<double>(std::max<Index>(1, evaluation.log_points - 1));
      its.insert(static_cast<Index>(std::llround(std::exp(frac * top))));
    }
  } else {
    for (Index k = 0; k <= iterations; k += evaluation.every) its.insert(k);
  }
  return {its.begin(), its.end()};
}

ExperimentConfig parse_config(const std::string& text, const std::string& source) {
  check_toml_text(text, source);  // before toml++ sees it: config_limits.hpp
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    fail("{}:{}:{}: TOML syntax error: {}", source, e.source().begin.line, e.source().begin.column,
         e.description());
  }
  check_config_limits(root, source);
  ExperimentConfig c;
  c.source = source;
  c.text = text;
  const Section top(root, "", source,
                    {"name", "description", "seed", "seeds", "first_seed", "iterations", "threads",
                     "output", "output_point", "max_loss", "problem", "noise", "oracle",
                     "evaluation", "theory", "summary", "tuning", "max_runs", "method"});
  c.name = top.text("name").value_or(std::filesystem::path(source).stem().string());
  c.description = top.text("description").value_or("");
  if (const auto v = top.integer("seed")) {
    if (*v < 0) top.error("seed", "must be ≥ 0");
    c.seed = static_cast<std::uint64_t>(*v);
  }
  c.seeds = positive_integer(top, "seeds", c.seeds);
  if (const auto v = top.integer("first_seed")) {
    if (*v < 0) top.error("first_seed", "must be ≥ 0");
    c.first_seed = static_cast<std::uint64_t>(*v);
  }
  c.iterations = positive_integer(top, "iterations", c.iterations);
  c.threads = static_cast<int>(positive_integer(top, "threads", 0, 0));
  c.output = top.text("output").value_or("results/" + c.name);
  if (c.output.empty()) top.error("output", "is empty; name a directory (default: results/NAME)");
  if (const auto rule = top.text("output_point")) {
    try {
      c.output_point = optim::output_rule_from_string(*rule);
    } catch (const Error& e) {
      top.error("output_point", e.what());
    }
  }
  c.max_loss = top.number("max_loss", c.max_loss);
  if (!(c.max_loss > 0)) top.error("max_loss", "must be > 0");

  if (!root.contains("problem")) fail("{}: a [problem] table is required", source);
  parse_problem(Section(sub_table(root, "problem", source), "problem", source,
                        {"type", "data", "features", "test_fraction", "split_seed", "standardize",
                         "lambda", "intercept", "dim", "start", "eigenvalues", "condition", "hidden",
                         "activation", "precision", "train_limit"}),
                c.problem);

  c.noise = parse_noise(sub_table(root, "noise", source), source, "noise");
  {
    const Section s(sub_table(root, "oracle", source), "oracle", source, {"sampling", "batch"});
    if (const auto v = s.text("sampling")) {
      try {
        c.oracle.sampling = sampling_from_string(*v);
      } catch (const Error& e) {
        s.error("sampling", e.what());
      }
    }
    c.oracle.batch = positive_integer(s, "batch", 1);
    if (c.oracle.sampling == Sampling::Full && s.has("batch")) {
      s.error("batch", "does not apply to sampling = \"full\" (the exact gradient over all samples); "
                       "use with-replacement or without-replacement sampling for minibatches");
    }
  }
  {
    const Section s(sub_table(root, "evaluation", source), "evaluation", source, {"every", "log_points"});
    c.evaluation.every = positive_integer(s, "every", 1);
    c.evaluation.log_points = positive_integer(s, "log_points", 0, 0);
    if (s.has("every") && s.has("log_points")) s.error("log_points", "give either every or log_points, not both");
  }
  {
    const Section s(sub_table(root, "theory", source), "theory", source,
                    {"delta", "seed_delta", "constants", "L0", "L1", "sigma", "kappa", "epsilon", "c"});
    c.theory.delta = s.number("delta", c.theory.delta);
    if (!(c.theory.delta > 0 && c.theory.delta <= 0.5)) {
      s.error("delta",
              fmt::format("is the failure probability of the high-probability bound and must be in "
                          "(0, 0.5], got {} (the seed notebook's 0.99 inside log(1/δ) of γ_L and "
                          "γ_L1 is [theory] seed_delta)",
                          c.theory.delta));
    }
    c.theory.seed_delta = s.number("seed_delta", c.theory.seed_delta);
    if (!(c.theory.seed_delta > 0 && c.theory.seed_delta < 1)) s.error("seed_delta", "must be in (0, 1)");
    c.theory.constants = s.text("constants").value_or(c.theory.constants);
    if (c.theory.constants == "analytic") {
      s.error("constants",
              "\"analytic\" is gone: say which constants you mean — \"smooth\" (proved valid for "
              "the objective), \"seed\" (the seed's logistic-regression heuristic), \"estimated\" "
              "or \"given\"");
    }
    if (c.theory.constants != "smooth" && c.theory.constants != "seed" &&
        c.theory.constants != "given" && c.theory.constants != "estimated") {
      s.error("constants", fmt::format("must be smooth, seed, estimated or given, got '{}'", c.theory.constants));
    }
    c.theory.L0 = s.number("L0");
    c.theory.L1 = s.number("L1");
    c.theory.sigma = s.number("sigma");
    c.theory.kappa = s.number("kappa");
    if (c.theory.kappa && !(*c.theory.kappa > 1 && *c.theory.kappa <= 2)) s.error("kappa", "must be in (1, 2]");
    c.theory.epsilon = s.number("epsilon");
    c.theory.c = s.number("c", 1.0);
    if (c.theory.c < 1) s.error("c", "must be ≥ 1");
    for (const char* k : {"L0", "L1", "sigma", "epsilon"}) {
      const auto v = s.number(k);
      if (v && *v < 0) s.error(k, "must be ≥ 0");
    }
  }
  {
    const Section s(sub_table(root, "summary", source), "summary", source,
                    {"delta", "band_low", "band_high", "targets"});
    if (s.has("delta")) {
      s.error("delta",
              "has moved: the high-probability statistic is the (1 − δ)-quantile with δ = [theory] "
              "delta, the one failure probability of a study (write delta = ... under [theory])");
    }
    c.summary.band_low = s.number("band_low", c.summary.band_low);
    c.summary.band_high = s.number("band_high", c.summary.band_high);
    if (!(0 <= c.summary.band_low && c.summary.band_low < c.summary.band_high && c.summary.band_high <= 1)) {
      s.error("band_high", "need 0 ≤ band_low < band_high ≤ 1");
    }
    const toml::table& targets = sub_table(s.table(), "targets", source);
    std::vector<std::string> keys;
    for (auto&& [key, node] : targets) keys.emplace_back(key.str());
    const Section ts(targets, "summary.targets", source, keys);
    for (const auto& k : keys) c.summary.targets[k] = *ts.number(k);
  }

  const toml::node* methods = root.get("method");
  if (methods == nullptr || !methods->is_array_of_tables()) {
    fail("{}: at least one [[method]] table is required (see `signopt methods`)", source);
  }
  std::set<std::string> labels;
  std::size_t index = 0;
  for (const auto& node : *methods->as_array()) {
    MethodConfig m;
    parse_method(*node.as_table(), source, index++, m);
    if (!labels.insert(m.label).second) {
      fail("{}:{}: two methods are labelled '{}'; labels must be unique", source, m.line, m.label);
    }
    c.methods.push_back(std::move(m));
  }
  parse_tuning(root, top, c);
  if (const auto v = top.integer("max_runs")) {
    if (*v < 1) top.error("max_runs", "must be an integer ≥ 1");
    c.max_runs = *v;
    c.max_runs_line = static_cast<int>(root.get("max_runs")->source().begin.line);
  }
  // One method per grid combination (parameter_grid.hpp); their labels must be unique too.
  expand_parameter_grids(c);
  labels.clear();
  for (const auto& m : c.methods) {
    if (!labels.insert(m.label).second) {
      fail(
          "{}:{}: two methods are labelled '{}' (after expanding the grids); labels must be unique",
          source, m.line, m.label);
    }
  }
  check_max_runs(c);
  return c;
}

ExperimentConfig load_config(const std::filesystem::path& path) {
  std::error_code ec;
  require(std::filesystem::is_regular_file(path, ec), "{}: no such config file", path.string());
  std::ifstream in(path, std::ios::binary);
  require(static_cast<bool>(in), "{}: cannot open for reading", path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_config(ss.str(), path.string());
}

std::string config_reference() {
  return R"(Config file (TOML) — full reference with examples in docs/config.md.
Top level:
  name = "study"            output names; default: the file name
  description = "..."
  seed = 0                  experiment seed: every random stream derives from it
  seeds = 10                runs per method (run seeds first_seed, first_seed+1, ...)
  first_seed = 0
  iterations = 1000         T
  threads = 0               worker threads; 0 = all cores (results do not depend on it)
  output = "results/NAME"   output directory (--out overrides)
  output_point = "uniform"  uniform | last | best: the point a run reports (docs/theory.md §2)
  max_loss = 1e12           a run whose loss exceeds this, or is NaN/Inf, is stopped as diverged
  max_runs = 400            the most runs the study may make (grids expanded, all phases)
[problem]
  type = "logistic-regression"  | quadratic | quartic | double-well | cosh-sum | softmax | mlp
  data = "data/mushrooms.libsvm"  LIBSVM file, or "fashion-mnist"
  features = 112            fix d of a LIBSVM file
  test_fraction = 0.2       seeded train/test split (0: no test set)
  split_seed = 0
  standardize = false       standardise features (fitted on the training rows)
  lambda = 1.0              L2 weight
  intercept = false         logistic-regression: constant feature, unregularised weight
  dim = 10                  synthetic problems: dimension
  start = "zeros"           x¹: "default" | "zeros" | 1.0 | "x0.npy" | "x0.csv"
                            | { distribution = "normal", mean = 0, std = 1 } (drawn per seed)
  eigenvalues = [..]        quadratic: diag(A); or condition = 100 (eigenvalues 1..condition)
  hidden = [256]            mlp: hidden layer widths
  activation = "relu"       mlp: relu | tanh
  precision = "float32"     mlp/softmax compute precision: float32 | float64
  train_limit = N           use only the first N training rows
[noise]                     additive gradient noise g = ∇f + z (see `signopt noise --help`)
  model = "alpha-stable"    none | gaussian | student-t | alpha-stable | pareto | cauchy
  alpha = 1.5 ...           the model's parameters
[oracle]
  sampling = "full"         full | with-replacement | without-replacement
  batch = 1                 data samples per oracle draw (minibatch sampling only)
[evaluation]
  every = 1                 record metrics every k iterations (and at 0 and T), or
  log_points = 100          about this many log-spaced iterations
[theory]                    inputs of "theory" parameters and the theory check (docs/theory.md)
  delta = 0.05              failure probability δ ≤ 0.5: the (1 − δ)-quantile is the
                            high-probability statistic (Theorem 1 and the summary)
  seed_delta = 0.99         the seed notebook's constant in log(1/δ) of gamma-L, gamma-L1
  kappa = ..                noise moment κ ∈ (1, 2]; default: below the noise's tail index
  c = 1  L0 = ..  L1 = ..  sigma = ..  epsilon = ..
  constants = "smooth"      smooth (proved) | seed | estimated | given (docs/estimate.md)
[summary]
  band_low = 0.1  band_high = 0.9   quantile band in the plots
  [summary.targets]         iterations to reach: train_loss = 0.3, test_accuracy = 0.95, ...
[tuning]                    per [[method]], the grid combination best on the tuning seeds, rerun
                            on the evaluation seeds (outputs: DIR/ the comparison, DIR/tuning/ the grid)
  metric = "train_gap"      required; accuracies are maximised, other metrics minimised
  statistic = "median"      median | mean across the tuning seeds
  last_fraction = 0         0: each run's final value; 0.1: its mean over the last 10 % of its steps
  tuning_seeds = 5  tuning_first_seed = 0  evaluation_seeds = 10  evaluation_first_seed = 5
[[method]]                  one table per method (`signopt methods` lists recipes)
  label = "M-SignSGD"       display name (unique)
  recipe = "m-signsgd"
  workers = 4               a distributed method with M workers (recipes: docs/distributed.md)
  lr = 0.001                numbers, or "theory" / "gamma-L" / "gamma-L1" / "gamma-M", or a grid:
                            [0.1, 0.01] | { log = [1e-5, 1e-1], points = 9 } | { linear = [a, b], points = n }
                            (one method per combination, labelled "LABEL [lr=0.001]")
  beta = 0.9                any other parameter of the recipe
  iterations = 500          per-method T (overrides the study's)
  start = "zeros"           per-method start;  [method.noise] per-method noise table
)";
}

}  // namespace signopt::experiment
