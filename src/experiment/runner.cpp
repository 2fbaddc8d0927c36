#include "signopt/experiment/runner.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <algorithm>
#include <cstdio>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

#include "signopt/core/error.hpp"
#include "signopt/core/thread_team.hpp"
#include "signopt/distributed/distributed_step.hpp"
#include "signopt/distributed/in_process_communicator.hpp"
#include "signopt/distributed/mpi_communicator.hpp"
#include "signopt/experiment/config_location.hpp"
#include "signopt/experiment/distributed_method.hpp"
#include "signopt/experiment/input_hash.hpp"
#include "signopt/experiment/limits.hpp"
#include "signopt/experiment/output_directory.hpp"
#include "signopt/experiment/problem_factory.hpp"
#include "signopt/experiment/stall_detector.hpp"
#include "signopt/experiment/study_optimum.hpp"
#include "signopt/experiment/theory_parameters.hpp"
#include "signopt/noise/noise_registry.hpp"
#include "signopt/optim/method_registry.hpp"
#include "signopt/optim/output_point.hpp"

namespace signopt::experiment {
namespace {

using Clock = std::chrono::steady_clock;

// Runs stepped together (see the header), of one method or several. Groups split the pending
// runs evenly over the threads, at most kMaxGroup runs each (bounding a pass's scratch memory
// and keeping --resume granular). When the problem splits its passes over a thread team, all
// pending runs form groups of up to kMaxTeamGroup instead, stepped one after another with every
// thread helping in each pass and each step: a wider pass costs less per run (logistic
// regression on Mushrooms: 18 µs per point at 40 points against 23 µs at 20). Grouping and
// threads never change results.
constexpr std::size_t kMaxGroup = 32;
// Step losses kept per run: every step up to this many steps, every ⌈T/this⌉-th beyond (a run of
// 10⁷ steps would otherwise write 10⁷ rows).
constexpr Index kMaxStepLosses = 200000;
constexpr std::size_t kMaxTeamGroup = 64;

struct RunId {
  std::size_t method_index;
  std::uint64_t seed;
};

struct Group {
  std::vector<RunId> runs;
};

struct Shared {
  const ExperimentConfig& config;
  const RunOptions& options;
  const Problem& problem;
  const std::vector<std::shared_ptr<const NoiseModel>>& noises;  // per method
  const std::vector<StartPoints>& starts;                         // per method
  std::optional<double> f_star;
  const std::vector<optim::Params>& params;
  const std::vector<std::optional<DistributedMethod>>& distributed;
  const TraceSchema& schema;
  const std::string& digest;
  std::atomic<std::int64_t> steps_done{0};
  std::atomic<bool> failed{false};
  std::atomic<bool> stopped{false};  // an interrupt was agreed on: the runs stopped early
};

// Under MPI every rank must leave the step loop at the same step, or the others wait in a
// collective that never completes: a signal on any rank stops all of them (one allreduce).
bool interrupted(Shared& s, Communicator* mpi) {
  bool stop = s.options.interrupt != nullptr && s.options.interrupt->load();
  if (mpi != nullptr) stop = mpi->any_process(stop);
  if (stop) s.stopped = true;
  return stop;
}

struct RunState {
  RunResult result;
  // Single-process methods: an optimizer and one oracle.
  std::unique_ptr<optim::Optimizer> optimizer;
  std::unique_ptr<GradientOracle> oracle;
  // Distributed methods: the local workers' oracles and a DistributedStep over a communicator.
  std::unique_ptr<Communicator> own_communicator;
  std::unique_ptr<DistributedStep> distributed;
  std::vector<std::unique_ptr<GradientOracle>> worker_oracles;
  std::vector<Vector> worker_gradients;
  double step_size = 0.0;
  StepBits bits;        // cumulative bits of one worker (uplink, downlink)
  double seconds = 0.0;  // the run's own compute time so far (see run_group)
  Index step_loss_every = 1;  // record the loss of every this-many-th step (1 up to kMaxStepLosses steps)
  std::unique_ptr<optim::OutputPoint> output;
  Vector x, exact;
  double grad1_sum = 0.0;
  Index evaluated = 0;
  Index T = 0;                  // this run's iterations (its method's)
  std::vector<Index> schedule;  // its evaluation iterations
  std::size_t next_eval = 0;
  bool active = true;
  StallDetector stall;  // every update zero or NaN: stalled, not "ok"
};

// Oracle draws of the run: all M workers draw alike, so M × worker 0's count (the same number
// on every MPI rank and in the simulation).
double oracle_calls(const RunState& r) {
  if (r.distributed) {
    return static_cast<double>(r.worker_oracles.front()->draws()) *
           static_cast<double>(r.distributed->config().workers);
  }
  return static_cast<double>(r.oracle->draws());
}

// Passes over the n training samples, all workers together (NaN without data).
double epochs(const RunState& r, Index n) {
  if (n <= 0) return std::nan("");
  const double per_worker = static_cast<double>(
      r.distributed ? r.worker_oracles.front()->sample_gradients() : r.oracle->sample_gradients());
  const double workers = r.distributed ? static_cast<double>(r.distributed->config().workers) : 1.0;
  return per_worker * workers / static_cast<double>(n);
}

void mark_diverged(RunState& r, Index k, std::string reason) {
  r.result.status = "diverged";
  r.result.diverged_at = k;
  r.result.divergence_reason = std::move(reason);
  r.active = false;
}

// Metrics of the output point x_out (one evaluation, after the run).
std::vector<std::pair<std::string, double>> point_metrics(const Problem& problem, const Vector& x,
                                                          std::optional<double> f_star) {
  Vector values;
  Matrix grads;
  TrainingMetrics train;
  problem.evaluate_training_pass(Matrix(x), values, grads, train);
  const Vector g = grads.col(0);
  std::vector<std::pair<std::string, double>> m{{"train_loss", train.data_loss[0]},
                                                {"train_objective", values[0]}};
  if (f_star) m.emplace_back("train_gap", values[0] - *f_star);
  if (train.accuracy.size() > 0) m.emplace_back("train_accuracy", train.accuracy[0]);
  m.emplace_back("grad_norm1", g.lpNorm<1>());
  m.emplace_back("grad_norm2", g.norm());
  for (const auto& t : problem.test_metrics(x)) m.emplace_back(t.name, t.value);
  return m;
}

// Steps the group's runs in lock-step. With a team, the passes over the data and the runs' steps
// are spread over its threads (the results are the same).
//
// A run's `seconds` is its own compute time, so that it does not depend on which runs share its
// group: the steady-clock time of its own steps (oracle draw, compression, communication,
// update), timed on the thread that runs them, plus, when full-gradient sampling makes the
// group's batched pass compute its gradients, that pass's thread-seconds divided by the points
// in it (a pass costs about the same per point at any width). Evaluations — the exact loss,
// accuracy and test metrics on the schedule — are not part of it.
// `mpi`: the communicator of the ranks running this group (MPI), or null (in-process).
void run_group(Shared& s, const Group& group, Communicator* mpi, std::vector<RunResult>& results,
               ThreadTeam* team) {
  const ExperimentConfig& c = s.config;
  const Problem& problem = s.problem;
  const Index d = problem.dim();
  Index T = 0;  // the group's horizon: its longest run

  std::vector<RunState> runs(group.runs.size());
  for (std::size_t j = 0; j < runs.size(); ++j) {
    RunState& r = runs[j];
    const auto [method, seed] = group.runs[j];
    r.result.method_index = method;
    r.result.method = c.methods[method].label;
    r.result.seed = seed;
    r.result.output_rule = optim::to_string(c.output_point);
    r.T = c.iterations_of(method);
    r.step_loss_every = std::max<Index>(1, (r.T + kMaxStepLosses - 1) / kMaxStepLosses);
    r.result.step_losses.reserve(static_cast<std::size_t>(r.T / r.step_loss_every + 1));
    r.schedule = c.evaluation_iterations(r.T);
    T = std::max(T, r.T);
    if (const auto& dm = s.distributed[method]) {
      Communicator* comm = mpi;
      if (comm == nullptr) {
        r.own_communicator = std::make_unique<InProcessCommunicator>(dm->config.workers);
        comm = r.own_communicator.get();
      }
      r.distributed = std::make_unique<DistributedStep>(dm->config, d, *comm, StreamKey{c.seed, seed, 0});
      r.step_size = dm->step_size;
      for (Index j = 0; j < comm->local_workers(); ++j) {
        const auto worker = static_cast<std::uint64_t>(comm->first_local_worker() + j);
        r.worker_oracles.push_back(std::make_unique<GradientOracle>(
            problem, s.noises[method], c.oracle.sampling, StreamKey{c.seed, seed, worker}));
        r.worker_oracles.back()->set_samples_per_draw(c.oracle.batch);
      }
      r.worker_gradients.assign(static_cast<std::size_t>(comm->local_workers()), Vector::Zero(d));
    } else {
      r.optimizer = optim::make_optimizer(c.methods[method].recipe, s.params[method]);
      r.oracle = std::make_unique<GradientOracle>(problem, s.noises[method], c.oracle.sampling,
                                                  StreamKey{c.seed, seed, 0});
      r.oracle->set_samples_per_draw(c.oracle.batch);
    }
    r.output = std::make_unique<optim::OutputPoint>(
        c.output_point, Rng::derive({c.seed, seed, stream_tag("output-point")}));
    Rng init = Rng::derive({c.seed, seed, stream_tag("initial-point")});
    r.x = s.starts[method].draw(init);
    if (r.optimizer) r.optimizer->reset(r.x);
  }

  const bool has_test = s.schema.has_test;
  Matrix points, grads;
  Vector values;
  TrainingMetrics train;
  std::vector<std::size_t> active;
  std::vector<char> evaluates;  // per active run: whether k is on its schedule
  for (Index k = 0; k <= T; ++k) {
    if (interrupted(s, mpi) || s.failed.load()) return;
    active.clear();
    evaluates.clear();
    bool eval = false, steps = false;
    for (std::size_t j = 0; j < runs.size(); ++j) {
      RunState& r = runs[j];
      if (!r.active || k > r.T) continue;
      active.push_back(j);
      const bool e = r.next_eval < r.schedule.size() && r.schedule[r.next_eval] == k;
      if (e) ++r.next_eval;
      evaluates.push_back(e ? 1 : 0);
      eval = eval || e;
      steps = steps || k < r.T;
    }
    if (active.empty()) break;
    const bool need_exact = eval || (steps && c.oracle.sampling == Sampling::Full);
    const auto pass_start = Clock::now();
    if (need_exact) {
      points.resize(d, static_cast<Index>(active.size()));
      for (std::size_t a = 0; a < active.size(); ++a) points.col(static_cast<Index>(a)) = runs[active[a]].x;
      if (eval) {
        problem.evaluate_training_pass(points, values, grads, train, team);
      } else {
        problem.value_and_gradient_many(points, values, grads, team);
      }
    }
    // The batched pass's share per point when it is the full-sampling oracle's gradient.
    const double pass_share =
        steps && c.oracle.sampling == Sampling::Full
            ? std::chrono::duration<double>(Clock::now() - pass_start).count() *
                  static_cast<double>(team != nullptr ? team->size() : 1) / static_cast<double>(active.size())
            : 0.0;
    std::vector<std::vector<Metric>> test;
    if (eval && has_test) test = problem.test_metrics_many(points, team);

    // One run's step: independent of the other runs, so a team may take them in any order.
    auto step_run = [&](std::size_t a) {
      RunState& r = runs[active[a]];
      const bool eval_now = evaluates[a] != 0;
      const double f = need_exact ? values[static_cast<Index>(a)] : std::nan("");
      if (need_exact) r.exact = grads.col(static_cast<Index>(a));
      if (k == 0) {
        r.output->start(r.x, f);
      } else {
        r.output->observe_step(k, r.x, eval_now ? f : std::nan(""));
      }
      if (eval_now) {
        const double n1 = r.exact.lpNorm<1>();
        r.grad1_sum += n1;
        ++r.evaluated;
        TraceRow row;
        row.iteration = k;
        const auto ai = static_cast<Index>(a);
        row.values = {train.data_loss[ai], f};
        if (s.f_star) row.values.push_back(f - *s.f_star);
        if (s.schema.has_train_accuracy) row.values.push_back(train.accuracy[ai]);
        for (double v : {n1, r.exact.norm(), r.grad1_sum / static_cast<double>(r.evaluated)}) row.values.push_back(v);
        if (has_test) {
          for (const auto& m : test[a]) row.values.push_back(m.value);
        }
        row.values.push_back(oracle_calls(r));
        if (s.schema.has_epochs) row.values.push_back(epochs(r, problem.num_samples()));
        // A single-process run communicates nothing.
        row.values.push_back(static_cast<double>(r.bits.uplink));
        row.values.push_back(static_cast<double>(r.bits.downlink));
        row.values.push_back(r.seconds);
        r.result.trace.push_back(std::move(row));
        if (!std::isfinite(f) || !r.x.allFinite()) {
          mark_diverged(r, k, "the loss or the iterate is not finite");
          return;
        }
        if (f > c.max_loss) {
          mark_diverged(r, k, fmt::format("the loss {:.6g} exceeds max_loss = {:.6g}", f, c.max_loss));
          return;
        }
      }
      if (k == r.T) {
        r.active = false;  // its last step is done
        return;
      }
      const auto step_start = Clock::now();
      const bool record_loss = k % r.step_loss_every == 0;
      // Full sampling: the step's gradient is ∇f(x^k) from the batched pass, whose f(x^k) is known.
      if (record_loss && c.oracle.sampling == Sampling::Full) {
        r.result.step_losses.emplace_back(k, f - problem.regularizer(r.x));
      }
      r.stall.before_step(r.x);
      if (r.distributed) {
        for (std::size_t w = 0; w < r.worker_oracles.size(); ++w) {
          if (c.oracle.sampling == Sampling::Full) r.worker_oracles[w]->hint_exact_gradient(r.exact);
          r.worker_oracles[w]->estimate(r.x, 1, r.worker_gradients[w]);
        }
        // The loss of worker 0's minibatch (the worker every process and the simulation have).
        if (record_loss && c.oracle.sampling != Sampling::Full) {
          r.result.step_losses.emplace_back(k, r.worker_oracles.front()->last_sample_loss());
        }
        const StepBits bits = r.distributed->step(r.x, r.worker_gradients, r.step_size);
        r.bits.uplink += bits.uplink;
        r.bits.downlink += bits.downlink;
      } else {
        if (c.oracle.sampling == Sampling::Full) r.oracle->hint_exact_gradient(r.exact);
        const std::int64_t draws = r.oracle->draws();
        r.optimizer->step(k + 1, r.x, *r.oracle);
        // A step that drew no gradient (none of ours, but a recipe may skip) has no loss to report.
        if (record_loss && c.oracle.sampling != Sampling::Full) {
          r.result.step_losses.emplace_back(k, r.oracle->draws() > draws ? r.oracle->last_sample_loss() : std::nan(""));
        }
      }
      r.seconds += std::chrono::duration<double>(Clock::now() - step_start).count() + pass_share;
      if ((r.optimizer && !r.optimizer->state_finite()) || !r.x.allFinite()) {
        // Recorded at the next evaluation if there is one; stop now either way.
        mark_diverged(r, k + 1, "the optimizer state or the iterate is not finite");
      } else if (auto stalled = r.stall.after_step(r.x, problem)) {
        mark_diverged(r, k + 1, std::move(*stalled));
      }
    };
    if (team != nullptr) {
      team->for_each(active.size(), step_run);
    } else {
      for (std::size_t a = 0; a < active.size(); ++a) step_run(a);
    }
    for (std::size_t a = 0; a < active.size(); ++a) {
      if (k < runs[active[a]].T) ++s.steps_done;
    }
  }
  auto finish_run = [&](std::size_t j) {
    RunState& r = runs[j];
    r.result.oracle_calls = static_cast<std::int64_t>(oracle_calls(r));
    r.result.epochs = epochs(r, problem.num_samples());
    r.result.uplink_bits = static_cast<double>(r.bits.uplink);
    r.result.downlink_bits = static_cast<double>(r.bits.downlink);
    r.result.seconds = r.seconds;
    const bool has_output = r.result.status == "ok" && r.output->steps_observed() > 0;
    if (has_output) {
      r.result.output_index = r.output->index();
      r.result.output_metrics = point_metrics(problem, r.output->point(), s.f_star);
    } else {
      r.result.output_index = -1;
    }
    format_trace(r.result);  // here, in parallel, rather than when the reports are written
    if (s.options.write_runs) {
      save_run(s.options.output, s.schema, r.result, s.digest, has_output ? &r.output->point() : nullptr, &r.x);
    }
  };
  if (team != nullptr) {
    team->for_each(runs.size(), finish_run);
  } else {
    for (std::size_t j = 0; j < runs.size(); ++j) finish_run(j);
  }
  for (RunState& r : runs) results.push_back(std::move(r.result));
}

std::string format_params(const optim::Params& p) {
  std::string out;
  for (const auto& [k, v] : p) out += (out.empty() ? "" : ", ") + k + "=" + v.to_string();
  return out;
}

// Progress on stderr: a bar with ETA on a terminal, a plain line every few seconds otherwise.
class Progress {
 public:
  Progress(const Shared& s, std::int64_t total) : s_(s), total_(total), tty_(isatty(2) != 0) {
    thread_ = std::thread([this] { loop(); });
  }
  ~Progress() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  void loop() {
    const auto start = Clock::now();
    auto last_print = start;
    std::unique_lock lock(mutex_);
    while (!done_) {
      cv_.wait_for(lock, std::chrono::milliseconds(tty_ ? 200 : 1000));
      const auto now = Clock::now();
      const double elapsed = std::chrono::duration<double>(now - start).count();
      const std::int64_t done = s_.steps_done.load();
      const double frac = total_ > 0 ? static_cast<double>(done) / static_cast<double>(total_) : 1.0;
      const double eta = frac > 0 ? elapsed * (1 - frac) / frac : 0.0;
      if (tty_) {
        const int width = 30;
        const int filled = static_cast<int>(frac * width);
        fmt::print(stderr, "\r[{}{}] {:5.1f}%  {:.1f}s elapsed, ETA {:.1f}s ", std::string(static_cast<std::size_t>(filled), '#'),
                   std::string(static_cast<std::size_t>(width - filled), ' '), 100 * frac, elapsed, eta);
        if (done_) fmt::print(stderr, "\n");
      } else if (std::chrono::duration<double>(now - last_print).count() >= 5.0 || done_) {
        fmt::print(stderr, "progress: {:.1f}% of {} steps, {:.1f}s elapsed, ETA {:.1f}s\n", 100 * frac,
                   total_, elapsed, eta);
        last_print = now;
      }
    }
  }

  const Shared& s_;
  std::int64_t total_;
  bool tty_;
  bool done_ = false;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::thread thread_;
};

}  // namespace

// Whether a method gives any parameter as a word the theory resolves ("theory", "gamma-L", ...).
static bool has_theory_words(const MethodConfig& m) {
  return std::any_of(m.params.begin(), m.params.end(), [](const auto& p) { return !p.second.is_number(); });
}

static void check_targets(const ExperimentConfig& config, const TraceSchema& schema, const std::string& f_star_note) {
  const auto names = schema.metric_names();
  // Every metric any study can record (the schema with every optional column), counters aside.
  std::vector<std::string> known = TraceSchema{true, true, true, false}.metric_names();
  std::erase_if(known, is_cost_column);
  std::string measured;
  for (const auto& n : names) {
    if (std::find(known.begin(), known.end(), n) != known.end()) measured += (measured.empty() ? "" : ", ") + n;
  }
  // `key` names the config key that asks for the metric.
  const auto check = [&](const std::string& key, const std::string& metric) {
    if (std::find(known.begin(), known.end(), metric) == known.end()) {
      fail("{}: {}: unknown metric (this study measures: {})", config.source.string(), key, measured);
    }
    if (std::find(names.begin(), names.end(), metric) == names.end()) {
      std::string why = "it is not measured in this study";
      if (metric == "train_gap") why = "f* is not known: " + f_star_note;
      if (metric.rfind("test_", 0) == 0) why = "the study has no test set (test_fraction = 0)";
      if (metric == "train_accuracy") why = "the problem has no labels";
      fail("{}: {}: {} (this study measures: {})", config.source.string(), key, why, measured);
    }
  };
  for (const auto& [metric, level] : config.summary.targets) check("[summary.targets] " + metric, metric);
  if (config.tuning) {
    check(fmt::format("[tuning] metric = \"{}\" (line {})", config.tuning->metric, config.tuning->line),
          config.tuning->metric);
  }
}

std::string config_digest(const ExperimentConfig& config) {
  std::uint64_t h = stream_tag(config.text);
  for (std::uint64_t v : {static_cast<std::uint64_t>(config.seeds), config.first_seed, config.seed,
                          static_cast<std::uint64_t>(config.iterations)}) {
    h = mix64(h ^ v);
  }
  h = mix64(h ^ study_inputs_hash(config.problem));  // data files and binary: input_hash.hpp
  return fmt::format("{:016x}", h);
}

ExperimentResult run_experiment(const ExperimentConfig& config, const RunOptions& options) {
  namespace fs = std::filesystem;
  const auto start = Clock::now();
  ExperimentResult result;
  const BuiltProblem built =
      options.problem ? BuiltProblem{options.problem, nullptr, nullptr, options.problem_description}
                      : with_config_location(config, "[problem]", [&] { return build_problem(config.problem); });
  const Problem& problem = *built.problem;
  std::shared_ptr<const NoiseModel> noise = make_noise_model(config.noise.model, config.noise.parameters);
  result.problem = built.problem;
  result.noise = noise;
  result.problem_description = built.description;
  result.noise_description = noise->describe();
  result.config_digest = config_digest(config);
  // Each method's noise (its own where it overrides the study's) and starting points.
  std::vector<std::shared_ptr<const NoiseModel>> noises;
  std::vector<StartPoints> starts;
  for (std::size_t m = 0; m < config.methods.size(); ++m) {
    const auto& mc = config.methods[m];
    try {
      noises.push_back(mc.noise ? make_noise_model(mc.noise->model, mc.noise->parameters) : noise);
      starts.emplace_back(config.start_of(m), problem);
    } catch (const Error& e) {
      fail("{}:{}: method '{}': {}", config.source.string(), mc.line, mc.label, e.what());
    }
  }
  // Only the process that writes results caches f* (MPI: rank 0; the others compute it and write
  // nothing, so ranks on a shared file system never write the same file).
  const StudyOptimum optimum = study_optimum(config, built, options.write_runs ? options.output : fs::path());
  result.f_star = optimum.value;
  result.f_star_note = optimum.note;
  result.f_star_lower_bound = optimum.lower_bound;
  if (built.train) result.trivial_train_accuracy = majority_class_fraction(*built.train);
  if (built.test) result.trivial_test_accuracy = majority_class_fraction(*built.test);
  result.schema.has_test = built.test != nullptr;
  result.schema.has_gap = result.f_star.has_value();
  result.schema.has_train_accuracy = problem.has_train_accuracy();
  result.schema.has_epochs = problem.num_samples() > 0;
  check_targets(config, result.schema, result.f_star_note);
  check_study_memory(config, problem.dim(),
                     static_cast<Index>(result.schema.metric_names().size()) + 3, options.max_memory);

  // Resolve every method's parameters (theory words → numbers) and check them by building the
  // optimizer once, so a bad parameter fails before any run starts.
  require(options.backend == "simulated" || options.backend == "mpi",
          "unknown backend '{}' (valid: simulated, mpi)", options.backend);
  std::unique_ptr<MpiCommunicator> world;
  if (options.backend == "mpi") {
    world = std::make_unique<MpiCommunicator>();
    // Never run something other than what is labelled: each distributed method runs on the
    // launch's first M ranks, one worker per rank, so no method may ask for more ranks than the
    // launch has (an override goes through ExperimentConfig::override_workers, which relabels).
    std::string too_large;
    Index needed = 0;
    for (const auto& m : config.methods) {
      if (m.workers > world->workers()) {
        too_large += fmt::format("{}'{}' (M = {})", too_large.empty() ? "" : ", ", m.label, m.workers);
        needed = std::max(needed, m.workers);
      }
    }
    require(too_large.empty(),
            "{}: --backend mpi runs each distributed method on M ranks of the launch, one worker per rank, "
            "and this launch has {} rank(s), too few for: {}. Launch with mpirun -np {} (add --oversubscribe "
            "for more ranks than cores), use the simulated backend, or pass --workers N to run every "
            "distributed method at M = N (relabelled so)",
            config.source.string(), world->workers(), too_large, needed);
  }
  // The study's theory context, built only if a method needs it (it evaluates f at the starts).
  std::optional<TheoryContext> theory;
  const auto study_theory = [&]() -> const TheoryContext& {
    if (!theory) theory = make_theory_context(config, problem, *noise, result.f_star_lower_bound);
    return *theory;
  };
  std::vector<optim::Params> params;
  std::vector<std::optional<DistributedMethod>> distributed;
  for (std::size_t mi = 0; mi < config.methods.size(); ++mi) {
    const MethodConfig& m = config.methods[mi];
    // A method with settings of its own gets theory values computed from them (its noise's σ
    // and κ, its start's Δ1, its T), not from the study's.
    std::optional<TheoryContext> own_theory;
    const ExperimentConfig own = config.with_method_settings(mi);
    if ((m.noise || m.start || m.iterations) && has_theory_words(m)) {
      own_theory = make_theory_context(own, problem, *noises[mi], result.f_star_lower_bound);
    }
    ResolvedMethod resolved = own_theory           ? resolve_theory_parameters(m, own, *own_theory)
                              : has_theory_words(m) ? resolve_theory_parameters(m, config, study_theory())
                                                    : resolve_theory_parameters(m, config, TheoryContext{});
    const Index workers = m.workers;  // under MPI at most the ranks (checked above)
    try {
      if (workers > 0) {
        distributed.emplace_back(make_distributed_method(m, workers, resolved.params));
        // MPI ranks compare it in their setup check: a rank with other data files or another
        // binary is refused before the first step.
        distributed.back()->config.inputs_digest = study_inputs_hash(config.problem);
        distributed.back()->config.validate(problem.dim());
      } else {
        distributed.emplace_back();
        (void)optim::make_optimizer(m.recipe, resolved.params);
      }
    } catch (const Error& e) {
      fail("{}:{}: method '{}': {}", config.source.string(), m.line, m.label, e.what());
    }
    MethodSetup setup{m.label, m.recipe, format_params(resolved.params), resolved.notes,
                      config.iterations_of(mi), noises[mi]->describe(), config.start_of(mi).describe(),
                      workers, {}};
    if (workers > 0) setup.parameters += fmt::format(" [{}]", distributed.back()->config.describe());
    setup.execution = workers == 0 ? std::string("single process")
                      : world      ? fmt::format("MPI: {} rank(s), world ranks 0..{} of a launch of {}", workers,
                                                 workers - 1, world->workers())
                                   : fmt::format("simulated: {} worker(s) in one process", workers);
    result.methods.push_back(std::move(setup));
    params.push_back(std::move(resolved.params));
  }

  if (options.write_runs) {
    std::error_code ec;
    fs::create_directories(options.output / "runs", ec);
    require(!ec, "cannot create output directory {}: {}", options.output.string(), ec.message());
  }

  // Which runs are left to do.
  const auto n_methods = config.methods.size();
  const auto n_seeds = static_cast<std::size_t>(config.seeds);
  std::vector<std::vector<std::optional<RunResult>>> done(n_methods, std::vector<std::optional<RunResult>>(n_seeds));
  // Under MPI rank 0 decides (its output directory is the one that counts; other hosts may not
  // see it) and tells the others, so that every rank runs the same runs.
  const bool root = !world || world->rank() == 0;
  std::vector<std::uint64_t> to_run(n_methods * n_seeds, 1);
  for (std::size_t m = 0; m < n_methods; ++m) {
    for (std::size_t i = 0; i < n_seeds; ++i) {
      RunResult previous;
      if (root && options.resume &&
          load_run(options.output, result.schema, m, config.first_seed + i, result.config_digest, previous)) {
        done[m][i] = std::move(previous);
        ++result.resumed_runs;
        to_run[m * n_seeds + i] = 0;
      }
    }
  }
  if (world) world->broadcast(to_run);
  std::vector<RunId> pending;
  for (std::size_t m = 0; m < n_methods; ++m) {
    for (std::size_t i = 0; i < n_seeds; ++i) {
      if (to_run[m * n_seeds + i] != 0) pending.push_back({m, config.first_seed + i});
    }
  }
  // Runs sharing ranks: in-process, one team of everything; under MPI, one team per M (single-
  // process methods on rank 0 alone, with the M = 1 methods), each on the communicator of the
  // launch's first M ranks. Results do not depend on the teams (runs are independent).
  // Every rank creates every communicator, in the same order, before any run starts; a rank
  // then runs the teams it belongs to and skips the others.
  struct Team {
    std::vector<RunId> runs;
    std::unique_ptr<MpiCommunicator> comm;  // null in-process, or on a rank outside the team
  };
  std::vector<Team> teams;
  if (!world) {
    teams.push_back({pending, nullptr});
  } else {
    std::map<Index, std::vector<RunId>> by_workers;
    for (const RunId& r : pending) by_workers[std::max<Index>(config.methods[r.method_index].workers, 1)].push_back(r);
    // Largest M first: a team's ranks all come from the team before it, so none waits in a
    // collective (where the --mpi-timeout watchdog would count) for ranks still busy elsewhere.
    for (auto it = by_workers.rbegin(); it != by_workers.rend(); ++it) {
      auto comm = MpiCommunicator::first_ranks(it->first);
      if (comm) teams.push_back({std::move(it->second), std::move(comm)});
    }
  }
  int threads = options.threads > 0 ? options.threads : config.threads;
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // MPI collectives must be issued in the same order on every rank: one thread per rank.
  if (world) threads = 1;
  const bool team_mode = threads > 1 && problem.splits_passes();
  auto ceil_div = [](std::size_t a, std::size_t b) { return (a + b - 1) / b; };
  std::size_t group_size = 1;
  if (team_mode) {
    // Even groups of at most kMaxTeamGroup (none when every run was resumed).
    if (!pending.empty()) group_size = ceil_div(pending.size(), ceil_div(pending.size(), kMaxTeamGroup));
  } else {
    group_size = std::clamp<std::size_t>(ceil_div(pending.size(), static_cast<std::size_t>(threads)), 1, kMaxGroup);
  }
  std::vector<Group> groups;
  std::vector<Communicator*> group_comm;  // per group: its team's MPI communicator, or null
  for (const Team& t : teams) {
    for (std::size_t i = 0; i < t.runs.size(); i += group_size) {
      groups.push_back({{t.runs.begin() + static_cast<std::ptrdiff_t>(i),
                         t.runs.begin() + static_cast<std::ptrdiff_t>(std::min(i + group_size, t.runs.size()))}});
      group_comm.push_back(t.comm.get());
    }
  }
  if (options.outputs != nullptr) options.outputs->replace_previous_study();

  std::optional<ThreadTeam> team;
  if (team_mode) {
    // A team spins while it waits: never more threads than the machine has.
    threads = std::min(threads, static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    team.emplace(threads);
  } else {
    threads = std::max(1, std::min<int>(threads, static_cast<int>(std::max<std::size_t>(groups.size(), 1))));
  }
  result.threads = threads;

  Shared shared{config, options, problem, noises, starts, result.f_star, params, distributed, result.schema,
                result.config_digest};
  std::int64_t total_steps = 0;
  for (const auto& g : groups) {
    for (const RunId& r : g.runs) total_steps += config.iterations_of(r.method_index);
  }

  std::vector<std::vector<RunResult>> per_group(groups.size());
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  {
    std::optional<Progress> progress;
    if (options.progress && !groups.empty()) progress.emplace(shared, total_steps);
    auto worker = [&] {
      for (std::size_t g = next++; g < groups.size(); g = next++) {
        try {
          run_group(shared, groups[g], group_comm[g], per_group[g], team ? &*team : nullptr);
        } catch (...) {
          std::lock_guard lock(error_mutex);
          if (!error) error = std::current_exception();
          shared.failed = true;
        }
      }
    };
    std::vector<std::thread> pool;  // a group per thread; with a team, groups in turn
    for (int t = 1; t < (team_mode ? 1 : threads); ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
  }
  if (error) std::rethrow_exception(error);
  teams.clear();  // the split communicators are freed (collectively) before the ranks part
  if (world) world->wait_for_all();
  if (shared.stopped.load() || (options.interrupt != nullptr && options.interrupt->load())) {
    throw Interrupted(fmt::format("interrupted: finished runs are kept in {}; continue with --resume",
                                  (options.output / "runs").string()));
  }
  for (auto& group_runs : per_group) {
    for (auto& r : group_runs) {
      const auto i = static_cast<std::size_t>(r.seed - config.first_seed);
      done[r.method_index][i] = std::move(r);
    }
  }
  // Under MPI a rank holds the runs of the teams it belongs to; rank 0, in all, holds every run.
  for (auto& method_runs : done) {
    for (auto& r : method_runs) {
      if (r) result.runs.push_back(std::move(*r));
    }
  }
  result.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

}  // namespace signopt::experiment
