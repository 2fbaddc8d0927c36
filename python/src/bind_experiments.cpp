// The runner: signopt.run's C++ half. Runs a study exactly as `signopt run` does and writes the
// same output files (the Python package reads them into DataFrames); Ctrl-C stops it between
// steps through the runner's interrupt flag.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "bindings.hpp"
#include "problem_handle.hpp"
#include "signopt/core/error.hpp"
#include "signopt/experiment/output_directory.hpp"
#include "signopt/experiment/report.hpp"
#include "signopt/experiment/runner.hpp"
#include "signopt/optim/theory_tuner.hpp"
#include "study_config.hpp"
#include "toml_from_python.hpp"

namespace signopt::python {
namespace {

// Runs `work` on a thread of its own while this (Python's) thread watches for signals: Python
// handles SIGINT by setting a flag that only the main thread can turn into KeyboardInterrupt.
// On one, `stop` is raised (the runner stops between steps) and, once the work has ended, the
// KeyboardInterrupt is re-raised.
template <typename Work>
void run_interruptibly(std::atomic<bool>& stop, Work&& work) {
  std::mutex mutex;
  std::condition_variable cv;
  bool done = false;
  std::exception_ptr error;
  std::optional<py::error_already_set> interrupt;
  {
    py::gil_scoped_release release;
    std::thread worker([&] {
      try {
        // A Python thread state for this thread, kept for the whole work: a callable objective
        // evaluated here then only takes the GIL (about 10 us less per call than creating and
        // deleting a thread state every time).
        py::gil_scoped_acquire thread_state;
        py::gil_scoped_release gil_free;
        work();
      } catch (...) {
        error = std::current_exception();
      }
      std::lock_guard lock(mutex);
      done = true;
      cv.notify_all();
    });
    std::unique_lock lock(mutex);
    while (!done) {
      cv.wait_for(lock, std::chrono::milliseconds(50));
      if (done || interrupt) continue;
      lock.unlock();
      {
        py::gil_scoped_acquire gil;
        if (PyErr_CheckSignals() != 0) {
          interrupt.emplace();  // takes the pending exception (KeyboardInterrupt)
          stop = true;
        }
      }
      lock.lock();
    }
    lock.unlock();
    worker.join();
  }
  if (interrupt) throw std::move(*interrupt);
  if (error) std::rethrow_exception(error);
}

// The runs' traces straight from memory, as traces.csv lists them (runs in result order, rows
// in iteration order): exact doubles, and no 10 MB of text to parse for the default study.
py::dict trace_arrays(const experiment::ExperimentResult& result) {
  const auto names = result.schema.metric_names();
  std::size_t rows = 0;
  for (const auto& r : result.runs) rows += r.trace.size();
  const auto n = static_cast<py::ssize_t>(rows), m = static_cast<py::ssize_t>(names.size());
  py::array_t<double> values({n, m});
  py::array_t<std::int64_t> seed(n), iteration(n);
  py::list method;
  auto v = values.mutable_unchecked<2>();
  auto s = seed.mutable_unchecked<1>();
  auto it = iteration.mutable_unchecked<1>();
  py::ssize_t row = 0;
  for (const auto& r : result.runs) {
    const py::str label(r.method);
    for (const auto& t : r.trace) {
      require(static_cast<py::ssize_t>(t.values.size()) == m,
              "run {} seed {}: a trace row has {} values, expected {}", r.method, r.seed,
              t.values.size(), m);
      method.append(label);
      s(row) = static_cast<std::int64_t>(r.seed);
      it(row) = t.iteration;
      for (py::ssize_t j = 0; j < m; ++j) v(row, j) = t.values[static_cast<std::size_t>(j)];
      ++row;
    }
  }
  py::dict out;
  out["method"] = method;
  out["seed"] = seed;
  out["iteration"] = iteration;
  out["metrics"] = names;
  out["values"] = values;
  return out;
}

py::dict run(const py::object& source, const std::string& kind, const std::string& out,
             bool fresh_directory, const ProblemHandle* objective, std::optional<Index> seeds,
             int threads, bool resume, bool force, bool progress) {
  experiment::ExperimentConfig config = study_config(source, kind, objective);
  if (seeds) {
    require(*seeds >= 1, "seeds must be >= 1, got {}", *seeds);
    config.seeds = *seeds;
  }
  experiment::RunOptions options;
  options.output = out;
  options.threads = threads;
  options.resume = resume;
  options.progress = progress;
  if (objective != nullptr && objective->is_callable) {
    require(!resume,
            "resume: a study of a Python objective cannot be resumed (its code is not part of the "
            "config digest)");
    options.problem = objective->problem;
    options.problem_description = objective->description;
    if (threads == 0 && config.threads == 0) options.threads = 1;  // calls take the GIL in turn
  } else if (objective != nullptr) {
    fail(
        "problem: a built-in problem is given by the config's [problem] table; pass problem= only "
        "for "
        "a Python objective (signopt.objective)");
  }
  std::atomic<bool> stop{false};
  options.interrupt = &stop;
  experiment::OutputDirectory outputs(
      options.output, experiment::OutputDirectory::Mode{resume, force || fresh_directory});
  options.outputs = &outputs;
  experiment::ExperimentResult result;
  std::string summary;
  run_interruptibly(stop, [&] {
    result = experiment::run_experiment(config, options);
    summary = experiment::write_report(options.output, config, result, /*plots=*/false);
  });
  py::dict info;
  info["out"] = options.output.string();
  info["summary_md"] = summary;
  info["wall_seconds"] = result.wall_seconds;
  info["threads"] = result.threads;
  info["resumed_runs"] = result.resumed_runs;
  info["problem"] = result.problem_description;
  info["noise"] = result.noise_description;
  info["f_star"] = result.f_star ? py::cast(*result.f_star) : py::none();
  info["f_star_note"] = result.f_star_note;
  py::list methods;
  for (const auto& m : result.methods) {
    py::dict d;
    d["label"] = m.label;
    d["recipe"] = m.recipe;
    d["parameters"] = m.parameters;
    d["notes"] = m.notes;
    d["iterations"] = m.iterations;
    d["noise"] = m.noise;
    d["start"] = m.start;
    d["workers"] = m.workers;      // 0: a single-process method
    d["execution"] = m.execution;  // how it ran (single process, simulated, MPI)
    methods.append(d);
  }
  info["methods"] = methods;
  info["traces"] = trace_arrays(result);
  {
    py::gil_scoped_release release;  // a callable objective's destructor takes the GIL itself
    result = experiment::ExperimentResult{};
  }
  return info;
}

py::dict bound_dict(const optim::BoundTerms& b) {
  py::dict d;
  for (const auto& [name, value] : b.terms) d[py::str(name)] = value;
  d["total"] = b.total;
  return d;
}

py::dict tune(Index d, double L0, double L1, double delta1, std::optional<double> sigma_l1,
              std::optional<double> sigma_kappa, std::optional<double> sigma, double kappa,
              std::optional<double> delta, double epsilon, double c, std::optional<double> grad1_l1,
              const std::string& method) {
  optim::TunerInputs in;
  in.d = d;
  in.L0 = L0;
  in.L1 = L1;
  in.delta1 = delta1;
  in.kappa = kappa;
  in.epsilon = epsilon;
  in.c = c;
  in.grad1_l1 = grad1_l1;
  in.sigma_l1 = sigma_l1;
  in.sigma_kappa = sigma_kappa;
  if (sigma) {
    require(!sigma_l1 && !sigma_kappa,
            "give sigma (per coordinate) or sigma_l1 / sigma_kappa, not both");
    in.set_constant_sigma(*sigma);
  }
  require(method == "all" || method == "minibatch-signsgd" || method == "m-signsgd",
          "method must be minibatch-signsgd, m-signsgd or all, got '{}'", method);
  py::dict out;
  if (method != "m-signsgd") {
    require(delta.has_value(),
            "minibatch-signsgd needs delta (the failure probability, in (0, 0.5])");
    in.delta = *delta;
    const auto t = optim::tune_minibatch_signsgd(in);
    py::dict r;
    r["regime"] = t.regime;
    r["regime_text"] = t.regime_text;
    r["lr"] = t.gamma;
    r["batch"] = t.batch;
    r["iterations"] = t.iterations;
    r["oracle_calls"] = t.oracle_calls;
    r["lr_max"] = t.gamma_max;
    r["step_size_condition"] = t.step_size_condition;
    r["sigma_l1_used"] = t.sigma_l1_used;
    r["bound"] = t.bound ? py::object(bound_dict(*t.bound)) : py::object(py::none());
    r["notes"] = t.notes;
    out["minibatch-signsgd"] = r;
  }
  if (method != "minibatch-signsgd") {
    const auto t = optim::tune_momentum_signsgd(in);
    py::dict r;
    r["regime"] = t.regime;
    r["regime_text"] = t.regime_text;
    r["beta"] = t.beta;
    r["one_minus_beta"] = t.one_minus_beta;
    r["lr"] = t.gamma;
    r["iterations"] = t.iterations;
    r["lr_max"] = t.gamma_max;
    r["step_size_condition"] = t.step_size_condition;
    r["sigma_kappa_used"] = t.sigma_kappa_used;
    r["initial_momentum_error_used"] = t.initial_momentum_error_used;
    r["bound"] = bound_dict(t.bound);
    r["notes"] = t.notes;
    out["m-signsgd"] = r;
  }
  return out;
}

}  // namespace

void bind_experiments(py::module_& m) {
  m.def("_run", &run, py::arg("source"), py::arg("kind"), py::arg("out"),
        py::arg("fresh_directory"), py::arg("objective"), py::arg("seeds"), py::arg("threads"),
        py::arg("resume"), py::arg("force"), py::arg("progress"));
  m.def(
      "config_text", [](const py::dict& config) { return toml_text_from_dict(config); },
      py::arg("config"),
      "The TOML text a config dict is parsed as (error messages cite its lines)");
  m.def(
      "_check_config",
      [](const py::object& source, const std::string& kind) {
        const auto c = study_config(source, kind, nullptr);
        py::dict d;
        d["name"] = c.name;
        d["output"] = c.output;
        d["seeds"] = c.seeds;
        d["iterations"] = c.iterations;
        d["methods"] = c.methods.size();
        return d;
      },
      py::arg("source"), py::arg("kind"));
  m.def("tune", &tune, py::kw_only(), py::arg("d"), py::arg("L0"), py::arg("L1"), py::arg("delta1"),
        py::arg("sigma_l1") = py::none(), py::arg("sigma_kappa") = py::none(),
        py::arg("sigma") = py::none(), py::arg("kappa") = 2.0, py::arg("delta") = py::none(),
        py::arg("epsilon"), py::arg("c") = 1.0, py::arg("grad1_l1") = py::none(),
        py::arg("method") = "all",
        "The final seed paper's theory-prescribed hyper-parameters (docs/tuner.md): "
        "{'minibatch-signsgd': "
        "{lr, batch, iterations, bound, ...}, 'm-signsgd': {beta, lr, iterations, bound, ...}}");
  m.def(
      "seed_step_sizes",
      [](double R, double lambda, Index d, double delta) {
        const auto s = optim::seed_step_sizes(R, lambda, d, delta);
        py::dict out;
        out["R"] = s.R;
        out["lambda"] = s.lambda;
        out["delta"] = s.delta;
        out["d"] = s.d;
        out["L"] = s.L;
        out["L1"] = s.L1;
        out["gamma_L"] = s.gamma_L;
        out["gamma_L1"] = s.gamma_L1;
        out["gamma_M"] = s.gamma_momentum;
        return out;
      },
      py::arg("R"), py::arg("lambda_"), py::arg("d"), py::arg("delta"),
      "The seed notebook's step sizes for L2 logistic regression: L = R^2 + λ, L1 = R + λ, γ_L, "
      "γ_L1, γ_M");
}

}  // namespace signopt::python
