// signopt estimate smoothness|noise|check: measure the theory's constants for a config's
// problem and oracle, and check a finished experiment against the explicit bounds
// (docs/estimate.md).
#include <fmt/format.h>

#include <memory>
#include <sstream>

#include "command_registry.hpp"
#include "signopt/core/error.hpp"
#include "signopt/experiment/config.hpp"
#include "signopt/experiment/constant_estimation.hpp"
#include "signopt/experiment/estimate_report.hpp"
#include "signopt/experiment/problem_factory.hpp"
#include "signopt/experiment/output_directory.hpp"
#include "signopt/experiment/theory_check.hpp"
#include "signopt/noise/noise_registry.hpp"

namespace signopt::cli {
namespace {

namespace fs = std::filesystem;

fs::path output_dir(const std::string& out, const experiment::ExperimentConfig& config) {
  return out.empty() ? fs::path(config.output) / "estimate" : fs::path(out);
}

// "0,100,1000" → {0, 100, 1000}.
std::vector<Index> parse_iterations(const std::string& text) {
  std::vector<Index> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    std::size_t used = 0;
    long long v = -1;
    try {
      v = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    require(used == item.size() && !item.empty() && v >= 0,
            "--at: '{}' is not an iteration (give non-negative integers separated by commas, e.g. "
            "0,100,1000)",
            item);
    out.push_back(static_cast<Index>(v));
  }
  require(!out.empty(), "--at: give at least one iteration");
  return out;
}

struct SmoothnessCommand {
  std::string config, out;
  std::vector<double> alphas{0.25, 0.5, 0.75};
  long long steps = 0, seeds = 0;
  double quantile = 0.01;
  int threads = 0;
  bool no_plots = false;
};

void run_smoothness(const SmoothnessCommand& o) {
  const auto config = experiment::load_config(o.config);
  require(o.steps >= 0, "--steps must be >= 1, got {}", o.steps);
  require(o.seeds >= 0, "--seeds must be >= 1, got {}", o.seeds);
  const auto built = experiment::build_problem(config.problem);
  const auto noise = make_noise_model(config.noise.model, config.noise.parameters);
  experiment::SmoothnessStudyOptions options;
  options.steps = static_cast<Index>(o.steps);
  options.seeds = static_cast<Index>(o.seeds);
  options.alphas = o.alphas;
  options.outlier_fraction = o.quantile;
  options.threads = o.threads;
  const auto study = experiment::estimate_smoothness(config, *built.problem, noise, options);
  fmt::print("Problem: {}\n", built.description);
  fmt::print("{}", experiment::write_smoothness_report(output_dir(o.out, config), config, study,
                                                       !o.no_plots));
}

struct NoiseCommand {
  std::string config, out, at = "0", method;
  long long samples = 10000;
  double kappa = 0.0;
  long long hill_k = 0;
  long long coordinates = 1000;
  bool no_plots = false;
};

void run_noise(const NoiseCommand& o) {
  const auto config = experiment::load_config(o.config);
  require(o.hill_k >= 0, "--hill-k must be >= 1, got {}", o.hill_k);
  require(o.coordinates >= 1, "--coordinates must be >= 1, got {}", o.coordinates);
  const auto built = experiment::build_problem(config.problem);
  const auto noise = make_noise_model(config.noise.model, config.noise.parameters);
  experiment::NoiseStudyOptions options;
  options.samples = static_cast<Index>(o.samples);
  if (o.kappa != 0.0) options.kappa = o.kappa;
  options.hill_k = static_cast<std::size_t>(o.hill_k);
  options.at = parse_iterations(o.at);
  options.method = o.method;
  options.max_coordinates = static_cast<Index>(o.coordinates);
  const auto study = experiment::estimate_noise(config, *built.problem, noise, options);
  fmt::print("Problem: {}\n", built.description);
  fmt::print("{}",
             experiment::write_noise_report(output_dir(o.out, config), config, study, !o.no_plots));
}

void setup_estimate(CLI::App& cmd) {
  cmd.require_subcommand(1);

  auto s = std::make_shared<SmoothnessCommand>();
  CLI::App* smooth = cmd.add_subcommand("smoothness",
                                        "Local smoothness L̂ against ‖∇f‖₂ along the config's "
                                        "trajectories, and the (L0, L1) envelope");
  smooth->add_option("config", s->config, "Experiment config (TOML)")->required();
  smooth->add_option("--out", s->out, "Output directory (default: the config's output/estimate)");
  smooth
      ->add_option("--alphas", s->alphas,
                   "α values: x_α = x^k + (1 − α)(x^{k+1} − x^k), each in (0, 1)")
      ->capture_default_str();
  smooth->add_option("--steps", s->steps,
                     "Steps per trajectory (default: the config's iterations)");
  smooth->add_option("--seeds", s->seeds, "Trajectories per method (default: min(seeds, 3))");
  smooth
      ->add_option("--quantile", s->quantile,
                   "Fraction q of pairs allowed above the envelope: the line lies above a "
                   "(1 − q) fraction (a q = 0 fit is reported too)")
      ->capture_default_str();
  smooth
      ->add_option("--threads", s->threads,
                   "Worker threads (default: the config's, else all cores)")
      ->check(CLI::PositiveNumber);
  smooth->add_flag("--no-plots", s->no_plots, "Write the CSV and JSON files only");
  smooth->callback([s] { run_smoothness(*s); });

  auto n = std::make_shared<NoiseCommand>();
  CLI::App* noise = cmd.add_subcommand(
      "noise", "Per-coordinate gradient noise: Hill tail index, σ_i^κ, symmetry tests, plots");
  noise->add_option("config", n->config, "Experiment config (TOML)")->required();
  noise->add_option("--out", n->out, "Output directory (default: the config's output/estimate)");
  noise->add_option("--samples", n->samples, "Oracle draws per point")->capture_default_str();
  noise->add_option("--kappa", n->kappa,
                    "κ of σ_i^κ = E|z_i|^κ, in (1, 2] (default: [theory] kappa, else below the "
                    "lower of the Hill and block-sum tail estimates)");
  noise->add_option("--hill-k", n->hill_k,
                    "Order statistics of the Hill estimator (default: max(10, 1% of the samples))");
  noise
      ->add_option("--at", n->at,
                   "Iterations of a run at which to sample, e.g. 0,100,1000 (0 = the start)")
      ->capture_default_str();
  noise->add_option("--method", n->method,
                    "Label of the method whose run reaches the points (default: the first)");
  noise
      ->add_option("--coordinates", n->coordinates,
                   "Analyse at most this many coordinates (evenly spaced)")
      ->capture_default_str();
  noise->add_flag("--no-plots", n->no_plots, "Write the CSV and JSON files only");
  noise->callback([n] { run_noise(*n); });

  auto dir = std::make_shared<std::string>();
  auto no_plots = std::make_shared<bool>(false);
  CLI::App* check = cmd.add_subcommand(
      "check", "Check a finished experiment against the explicit bounds of docs/theory.md §3");
  check->add_option("dir", *dir, "Experiment output directory (manifest.json, traces.csv)")
      ->required();
  check->add_flag("--no-plots", *no_plots, "Write theory_check.csv and .md only");
  check->callback([dir, no_plots] {
    const auto outputs = experiment::OutputDirectory::reopen_if_listed(*dir);  // lists theory_check.*
    fmt::print("{}", experiment::check_experiment_directory(*dir, !*no_plots));
  });
  cmd.footer(
      "Measured constants can tune a run: [theory] constants = \"estimated\" (docs/estimate.md).");
}

const CommandRegistration registration{
    {"estimate",
     "Measure (L0, L1) and the noise tail index for a config; check runs against the theory",
     setup_estimate}};

}  // namespace
}  // namespace signopt::cli
