#include "signopt/experiment/constant_estimation.hpp"
#include "signopt/experiment/start_point.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <set>
#include <thread>

#include "signopt/core/error.hpp"
#include "signopt/experiment/method_optimizer.hpp"
#include "signopt/experiment/theory_parameters.hpp"
#include "signopt/optim/method_registry.hpp"

namespace signopt::experiment {
namespace {

// A method ready to run: its label and numeric parameters.
struct ReadyMethod {
  const MethodConfig* method;  // in the config, which outlives the study
  optim::Params params;
  const std::string& label() const { return method->label; }
};

// Resolves the methods that can drive trajectories; the others are listed with the reason.
// The theory context (which may itself measure constants) is built only when needed.
std::vector<ReadyMethod> ready_methods(const ExperimentConfig& config, const Problem& problem,
                                       const NoiseModel& noise, bool pilot_only,
                                       std::vector<std::string>& skipped) {
  std::vector<ReadyMethod> out;
  std::optional<TheoryContext> context;
  for (const auto& m : config.methods) {
    if (uses_theory_parameters(m)) {
      if (pilot_only) {
        skipped.push_back(fmt::format("{}: takes its parameters from the theory", m.label));
        continue;
      }
      try {
        if (!context) context = make_theory_context(config, problem, noise);
        out.push_back({&m, resolve_theory_parameters(m, config, *context).params});
      } catch (const Error& e) {
        skipped.push_back(fmt::format("{}: {}", m.label, e.what()));
        continue;
      }
    } else {
      out.push_back({&m, m.params});
    }
    try {
      (void)make_method_optimizer(m, out.back().params);
    } catch (const Error& e) {
      fail("{}:{}: method '{}': {}", config.source.string(), m.line, m.label, e.what());
    }
  }
  return out;
}

// The runner's streams for run (method, seed): same start, same oracle draws.
Vector run_start(const ExperimentConfig& config, const Problem& problem, std::uint64_t seed) {
  Rng init = Rng::derive({config.seed, seed, stream_tag("initial-point")});
  return StartPoints(config.problem.start, problem).draw(init);
}

GradientOracle run_oracle(const ExperimentConfig& config, const Problem& problem,
                          std::shared_ptr<const NoiseModel> noise, std::uint64_t seed,
                          std::uint64_t worker) {
  GradientOracle oracle(problem, std::move(noise), config.oracle.sampling,
                        StreamKey{config.seed, seed, worker});
  oracle.set_samples_per_draw(config.oracle.batch);
  return oracle;
}

std::string join(const std::vector<std::string>& items, const char* sep = "; ") {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

}  // namespace

bool uses_theory_parameters(const MethodConfig& method) {
  static const std::set<std::string> words{"theory", "gamma-L", "gamma-L1", "gamma-M"};
  return std::any_of(method.params.begin(), method.params.end(), [](const auto& entry) {
    return !entry.second.is_number() && words.count(entry.second.text()) > 0;
  });
}

SmoothnessStudy estimate_smoothness(const ExperimentConfig& config, const Problem& problem,
                                    std::shared_ptr<const NoiseModel> noise,
                                    const SmoothnessStudyOptions& options) {
  require(options.steps >= 0, "--steps must be >= 1, got {}", options.steps);
  require(options.seeds >= 0, "--seeds must be >= 1, got {}", options.seeds);
  require(options.outlier_fraction >= 0 && options.outlier_fraction < 1,
          "--quantile (the fraction of pairs allowed above the envelope) must be in [0, 1), got {}",
          options.outlier_fraction);
  if (!noise) noise = std::make_shared<NoNoise>();
  SmoothnessStudy study;
  study.steps = options.steps > 0 ? options.steps : config.iterations;
  study.seeds = options.seeds > 0 ? options.seeds : std::min<Index>(config.seeds, 3);
  study.alphas = options.alphas;
  study.outlier_fraction = options.outlier_fraction;
  study.analytic = problem.analytic_constants();
  estimate::TrajectoryOptions trajectory;
  trajectory.steps = study.steps;
  trajectory.alphas = options.alphas;
  estimate::validate(trajectory);

  const auto methods = ready_methods(config, problem, *noise, options.pilot_only, study.skipped);
  if (methods.empty()) {
    fail("no method can drive a trajectory to measure the smoothness along{}: {}",
         options.pilot_only ? " (constants = \"estimated\" needs a method whose parameters are "
                              "numbers, e.g. SignSGD with lr = 0.001, to measure L0 and L1 before "
                              "the theory can tune the others)"
                            : "",
         join(study.skipped));
  }
  for (const auto& m : methods) study.methods.push_back(m.label());

  // One job per (method, seed); results are stored by job index, so the output does not depend
  // on the thread count.
  struct Job {
    std::size_t method;
    std::uint64_t seed;
    estimate::TrajectoryPairs result;
  };
  std::vector<Job> jobs;
  for (std::size_t m = 0; m < methods.size(); ++m) {
    for (Index i = 0; i < study.seeds; ++i) {
      jobs.push_back({m, config.first_seed + static_cast<std::uint64_t>(i), {}});
    }
  }
  int threads = options.threads > 0 ? options.threads : config.threads;
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = std::max(1, std::min(threads, static_cast<int>(jobs.size())));
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto worker = [&] {
    for (std::size_t j = next++; j < jobs.size(); j = next++) {
      try {
        Job& job = jobs[j];
        const ReadyMethod& m = methods[job.method];
        auto optimizer = make_method_optimizer(*m.method, m.params);
        GradientOracle oracle = run_oracle(config, problem, noise, job.seed, 0);
        job.result = estimate::trajectory_smoothness_pairs(
            problem, *optimizer, oracle, run_start(config, problem, job.seed), trajectory);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
      }
    }
  };
  {
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
  }
  if (error) std::rethrow_exception(error);

  for (const Job& job : jobs) {
    study.skipped_pairs += job.result.skipped;
    if (job.result.diverged) {
      study.notes.push_back(
          fmt::format("{} (seed {}) diverged after {} steps; its pairs up to "
                      "there are kept",
                      methods[job.method].label(), job.seed, job.result.steps_done));
    }
    for (const auto& p : job.result.pairs) study.pairs.push_back({job.method, job.seed, p});
  }
  require(!study.pairs.empty(),
          "no smoothness pairs: every step was too short to measure (the iterates did not move)");

  std::vector<double> g, L;
  for (const auto& p : study.pairs) {
    g.push_back(p.pair.grad_norm);
    L.push_back(p.pair.smoothness);
    study.max_smoothness = std::max(study.max_smoothness, p.pair.smoothness);
  }
  estimate::EnvelopeOptions fit_options;
  fit_options.outlier_fraction = options.outlier_fraction;
  study.fit = estimate::fit_upper_envelope(g, L, fit_options);
  study.strict_fit = estimate::fit_upper_envelope(g, L, {});
  for (std::size_t m = 0; m < methods.size(); ++m) {
    std::vector<double> gm, Lm;
    for (const auto& p : study.pairs) {
      if (p.method != m) continue;
      gm.push_back(p.pair.grad_norm);
      Lm.push_back(p.pair.smoothness);
    }
    if (gm.empty()) {
      study.method_fits.push_back({});
    } else {
      study.method_fits.push_back(estimate::fit_upper_envelope(gm, Lm, fit_options));
    }
  }
  return study;
}

NoiseStudy estimate_noise(const ExperimentConfig& config, const Problem& problem,
                          std::shared_ptr<const NoiseModel> noise,
                          const NoiseStudyOptions& options) {
  require(options.samples >= 20, "--samples must be >= 20, got {}", options.samples);
  require(options.max_coordinates >= 1, "the number of coordinates to analyse must be >= 1");
  const std::optional<double> given_kappa = options.kappa ? options.kappa : config.theory.kappa;
  const double kappa = given_kappa.value_or(2.0);
  require(kappa > 1.0 && kappa <= 2.0, "--kappa must be in (1, 2], got {}", kappa);
  const std::size_t hill_k =
      options.hill_k > 0 ? options.hill_k
                         : estimate::default_hill_k(static_cast<std::size_t>(options.samples));
  require(hill_k < static_cast<std::size_t>(options.samples),
          "--hill-k must be smaller than --samples ({}), got {}", options.samples, hill_k);
  require(!options.at.empty(), "--at: give at least one iteration");
  std::vector<Index> at = options.at;
  for (Index k : at) require(k >= 0, "--at: iterations must be >= 0, got {}", k);
  std::sort(at.begin(), at.end());
  at.erase(std::unique(at.begin(), at.end()), at.end());
  if (!noise) noise = std::make_shared<NoNoise>();

  NoiseStudy study;
  study.kappa_given = given_kappa.has_value();
  study.dim = problem.dim();
  study.seed = config.first_seed;
  const Index d = problem.dim();
  const Index m = std::min(d, options.max_coordinates);
  for (Index j = 0; j < m; ++j) study.coordinates.push_back(j * d / m);
  study.oracle =
      fmt::format("sampling {}{}, noise {}", to_string(config.oracle.sampling),
                  config.oracle.sampling == Sampling::Full
                      ? std::string()
                      : fmt::format(" ({} data sample(s) per draw)", config.oracle.batch),
                  noise->describe());

  // The run that gives the points beyond the start.
  std::unique_ptr<optim::Optimizer> optimizer;
  if (at.back() > 0 || !options.method.empty()) {
    std::vector<std::string> skipped;
    const auto methods = ready_methods(config, problem, *noise, options.pilot_only, skipped);
    const ReadyMethod* chosen = nullptr;
    if (options.method.empty()) {
      if (!methods.empty()) chosen = &methods.front();
    } else {
      for (const auto& rm : methods) {
        if (rm.label() == options.method) chosen = &rm;
      }
      if (chosen == nullptr) {
        std::vector<std::string> labels;
        for (const auto& rm : methods) labels.push_back(rm.label());
        fail("--method '{}' is not a method of {} that can run (available: {}{}{})", options.method,
             config.source.string(), join(labels, ", "),
             skipped.empty() ? "" : "; skipped: ", join(skipped));
      }
    }
    require(chosen != nullptr, "no method can run to reach the points at iterations > 0: {}",
            join(skipped));
    study.method = chosen->label();
    optimizer = make_method_optimizer(*chosen->method, chosen->params);
  }

  GradientOracle run = run_oracle(config, problem, noise, study.seed, 0);
  Vector x = run_start(config, problem, study.seed);
  if (optimizer) optimizer->reset(x);
  Index k = 0;
  for (Index target : at) {
    for (; k < target; ++k) {
      optimizer->step(k + 1, x, run);
      require(x.allFinite(), "the run of '{}' diverged at iteration {} before reaching {}",
              study.method, k + 1, target);
    }
    // A stream of its own for the samples at this point.
    GradientOracle sampler =
        run_oracle(config, problem, noise, study.seed,
                   mix64(stream_tag("noise-estimate") ^ static_cast<std::uint64_t>(target)));
    NoisePoint point;
    point.iteration = target;
    point.noise = estimate::sample_gradient_noise(sampler, x, options.samples, study.coordinates);
    point.analysis = estimate::analyze_noise(point.noise, study.coordinates, kappa, hill_k);
    // No κ given: the largest the tail estimates allow (below the lower of Hill and block sums).
    if (!given_kappa && point.analysis.kappa_allowed && *point.analysis.kappa_allowed != kappa) {
      point.analysis = estimate::analyze_noise(point.noise, study.coordinates,
                                               *point.analysis.kappa_allowed, hill_k);
    }
    study.points.push_back(std::move(point));
  }
  return study;
}

}  // namespace signopt::experiment
