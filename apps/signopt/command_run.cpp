// signopt run CONFIG: run an experiment, write its outputs and plots.
#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <memory>
#include <optional>

#include "command_registry.hpp"
#include "signopt/core/error.hpp"
#include "signopt/distributed/mpi_communicator.hpp"
#include "signopt/experiment/config.hpp"
#include "signopt/experiment/gnuplot_figure.hpp"
#include "signopt/experiment/limits.hpp"
#include "signopt/experiment/output_directory.hpp"
#include "signopt/experiment/report.hpp"
#include "signopt/experiment/runner.hpp"
#include "signopt/experiment/tuning_study.hpp"

namespace signopt::cli {
namespace {

std::atomic<bool> g_interrupt{false};

extern "C" void on_signal(int) { g_interrupt = true; }

struct RunCommandOptions {
  std::string config;
  std::string out;
  bool out_given = false;  // --out was on the command line (an empty value is an error)
  long long seeds = 0;
  int threads = 0;
  bool resume = false;
  bool quiet = false;
  bool no_plots = false;
  bool force = false;
  std::string backend = "simulated";
  long long workers = 0;
  double max_memory_gib = 0;
  double mpi_timeout = 120;
  std::vector<std::string> x_axes{"iterations"};
};

void run_experiment_and_report(const RunCommandOptions& o, bool root) {
  require(!(o.out_given && o.out.empty()), "--out: the output directory name is empty");
  experiment::ExperimentConfig config = experiment::load_config(o.config);
  if (o.seeds > 0) {
    require(!config.tuning,
            "--seeds: a study with [tuning] takes its seeds from [tuning] (tuning_seeds, "
            "evaluation_seeds) in {}",
            o.config);
    config.seeds = o.seeds;
    experiment::check_max_runs(config, fmt::format(", with --seeds {}", o.seeds));
  }
  if (o.workers > 0) config.override_workers(o.workers);
  experiment::RunOptions options;
  options.output = o.out.empty() ? std::filesystem::path(config.output) : std::filesystem::path(o.out);
  options.threads = o.threads;
  options.resume = o.resume;
  options.progress = !o.quiet && root;
  options.interrupt = &g_interrupt;
  options.backend = o.backend;
  options.max_memory = static_cast<std::uint64_t>(o.max_memory_gib * 1024 * 1024 * 1024);
  options.write_runs = root;
  // Rank 0 owns the directory: it refuses one signopt did not write, and lists every file.
  std::optional<experiment::OutputDirectory> outputs;
  if (root) outputs.emplace(options.output, experiment::OutputDirectory::Mode{o.resume, o.force});
  options.outputs = outputs ? &*outputs : nullptr;
  // Ctrl-C / kill: stop between steps; finished runs stay on disk for --resume, and no output
  // file is ever half-written (they are written under temporary names and renamed).
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  // gnuplot starts now and waits for the figures: its start-up overlaps the runs' set-up.
  std::optional<experiment::GnuplotRender> render;
  if (root && !o.no_plots) render.emplace(options.output / "plots");
  std::vector<experiment::XAxis> x_axes;
  for (const auto& a : o.x_axes) x_axes.push_back(experiment::x_axis_from_string(a));
  if (config.tuning) {
    // Two phases (tuning_study.hpp): the grid on the tuning seeds, the winners on the evaluation
    // seeds.
    const auto study = experiment::run_tuning_study(config, options, root, !o.no_plots,
                                                    render ? &*render : nullptr, x_axes);
    if (!root || o.quiet) return;
    fmt::print("{}\n", study.summary);
    for (const auto& [phase, result] :
         {std::pair{"Tuning", &study.tuning}, std::pair{"Evaluation", &study.evaluation}}) {
      fmt::print("{}: {} runs ({} resumed) in {:.2f} s on {} thread(s).\n", phase,
                 result->runs.size(), result->resumed_runs, result->wall_seconds, result->threads);
    }
    fmt::print(
        "Outputs: {0}/ (the chosen settings on the evaluation seeds, grid.csv) and {0}/tuning/ "
        "(every combination on the tuning seeds)\n",
        options.output.string());
  } else {
    const auto result = experiment::run_experiment(config, options);
    if (!root) return;  // MPI: rank 0 writes the outputs
    const std::string summary = experiment::write_report(
        options.output, config, result, !o.no_plots, render ? &*render : nullptr, x_axes);
    if (o.quiet) return;
    fmt::print("{}\n", summary);
    fmt::print("{} runs ({} resumed) in {:.2f} s on {} thread(s).\n", result.runs.size(),
               result.resumed_runs, result.wall_seconds, result.threads);
    fmt::print("Outputs: {}/ (traces.csv, steps.csv, runs.csv, bands.csv, summary.csv, summary.json, "
               "summary.md, manifest.json; each run's points in runs/*.x_out.npy, *.x_final.npy)\n",
               options.output.string());
  }
  if (o.no_plots) {
    fmt::print("Plots:   none (--no-plots); draw them with: signopt plot {}\n",
               options.output.string());
  } else {
    fmt::print("Plots:   {}/plots/*.png and *.svg\n", options.output.string());
  }
}

void run(const RunCommandOptions& o) {
  if (o.backend != "mpi") {
    run_experiment_and_report(o, true);
    return;
  }
  // One rank per worker. Every rank runs the same runs in the same order and holds the same
  // iterates; an error on one rank must end all of them, not leave the others waiting in a
  // collective.
  // Without mpirun (or another MPI launcher) a single process would run every distributed
  // method with one worker: refuse rather than label M = 1 results as M = 4.
  if (std::getenv("OMPI_COMM_WORLD_SIZE") == nullptr && std::getenv("PMIX_RANK") == nullptr &&
      std::getenv("PMI_SIZE") == nullptr) {
    fail("--backend mpi needs an MPI launch (mpirun -np M {} run {} --backend mpi); without one, use "
         "the simulated backend (the default), which runs the same M workers in this process",
         "build/signopt", o.config);
  }
  MpiSession session(nullptr, nullptr);
  MpiCommunicator::set_answer_timeout(o.mpi_timeout);
  try {
    run_experiment_and_report(o, session.rank() == 0);
  } catch (const experiment::Interrupted&) {
    // Every rank stopped at the same step (the runner agrees on it) and rank 0 kept the finished
    // runs: every rank finalises MPI normally; rank 0 reports (exit 2, which mpirun passes on).
    if (session.rank() != 0) return;
    throw;
  } catch (const Error& e) {
    fmt::print(stderr, "signopt: error (rank {}): {}\n", session.rank(), e.what());
    if (session.size() > 1) MpiSession::abort(2);
    throw;
  }
}

void setup_run(CLI::App& cmd) {
  auto o = std::make_shared<RunCommandOptions>();
  cmd.add_option("config", o->config, "Experiment config (TOML)")->required();
  CLI::Option* out = cmd.add_option("--out", o->out, "Output directory (default: the config's output)");
  cmd.add_option("--seeds", o->seeds, "Number of seeds per method (overrides the config)")
      ->check(CLI::Range(1LL, static_cast<long long>(experiment::kMaxSeeds)));
  cmd.add_option("--threads", o->threads, "Worker threads (default: the config's, else all cores)")
      ->check(CLI::Range(1, static_cast<int>(experiment::kMaxThreads)));
  cmd.add_flag("--resume", o->resume, "Keep the runs an interrupted invocation finished");
  cmd.add_flag("--force", o->force,
               "Write into a non-empty directory that is not a signopt output (none of its files "
               "is deleted; files with signopt's output names are overwritten)");
  cmd.add_flag("--quiet", o->quiet, "No progress and no summary on the terminal");
  cmd.add_flag("--no-plots", o->no_plots,
               "Write the tables only, no gnuplot (draw them later with: signopt plot DIR)");
  cmd.add_option("--backend", o->backend,
                 "Distributed methods: simulated (all workers in-process) or mpi (one rank per "
                 "worker: mpirun -np M build/signopt run CONFIG --backend mpi)")
      ->check(CLI::IsMember({"simulated", "mpi"}));
  cmd.add_option("--workers", o->workers, "Workers M of every distributed method (overrides the config)")
      ->check(CLI::Range(1LL, static_cast<long long>(experiment::kMaxWorkers)));
  cmd.add_option("--mpi-timeout", o->mpi_timeout,
                 "--backend mpi: seconds a rank waits for the others in one step before it ends the "
                 "job with an error (a rank stopped or hung)")
      ->check(CLI::Range(0.1, 1e6));
  cmd.add_option("--x", o->x_axes,
                 "Plot x axes, one set of plots each: iterations (default; plus bits for methods that "
                 "communicate), oracle-calls, epochs, bits, seconds (also: signopt plot DIR --x ...)")
      ->check(CLI::IsMember(experiment::x_axis_names()))
      ->take_all();
  cmd.add_option("--max-memory", o->max_memory_gib,
                 fmt::format("GiB the study may use; a config whose traces and run state need more is "
                             "refused before it starts (default: 3/4 of physical memory, {})",
                             experiment::format_bytes(static_cast<double>(experiment::default_max_memory()))))
      ->check(CLI::PositiveNumber);
  cmd.footer(experiment::config_reference());
  cmd.callback([o, out] {
    o->out_given = out->count() > 0;
    run(*o);
  });
}

const CommandRegistration registration{
    {"run", "Run an experiment from a config file: traces, summaries, plots", setup_run}};

}  // namespace
}  // namespace signopt::cli
