// signopt tune: theory-prescribed hyper-parameters (docs/theory.md §3, docs/tuner.md).
//   signopt tune --d D --L0 A --L1 B --delta1 F --sigma1 S --kappa K --delta P --eps E [--c C]
//                [--grad1 G] [--method minibatch-signsgd|m-signsgd|all]
//   signopt tune --data FILE --lambda 1 --delta 0.99 [--split 0.2 --split-seed S | --whole]
#include <fmt/format.h>

#include <memory>
#include <optional>

#include "command_registry.hpp"
#include "signopt/core/error.hpp"
#include "signopt/data/libsvm_reader.hpp"
#include "signopt/optim/theory_tuner.hpp"

namespace signopt::cli {
namespace {

struct TuneOptions {
  // Seed step sizes from a data set.
  std::string data;
  std::optional<double> lambda;
  double split = 0.2;
  std::uint64_t split_seed = 0;
  bool whole = false;
  // Theory tuner constants.
  std::optional<long long> d;
  std::optional<double> L0, L1, delta1, sigma1, sigma_kappa, sigma, grad1, eps1, eps;
  double kappa = 2.0;
  double c = 1.0;
  std::optional<double> delta;
  std::string method = "all";
};

void print_bound(const optim::BoundTerms& b) {
  fmt::print("  bound value:      {:.6g}\n", b.total);
  for (const auto& [name, value] : b.terms) fmt::print("    {:<52} {:.6g}\n", name, value);
}

void print_notes(const std::vector<std::string>& notes) {
  for (const auto& n : notes) fmt::print("  note: {}\n", n);
}

void tune_from_data(const TuneOptions& o, CLI::App& cmd) {
  for (const char* flag : {"--d", "--L0", "--L1", "--delta1", "--sigma1", "--sigma-kappa",
                           "--sigma", "--grad1", "--eps1", "--eps", "--kappa", "--c", "--method"}) {
    require(cmd.count(flag) == 0,
            "{} belongs to the theory tuner; with --data only --lambda, --delta, --split, "
            "--split-seed and --whole apply",
            flag);
  }
  require(o.lambda.has_value(), "--data needs --lambda (the L2 weight of the logistic loss)");
  require(o.delta.has_value(), "--data needs --delta (the seed used 0.99)");
  require(!(o.whole && cmd.count("--split") + cmd.count("--split-seed") > 0),
          "--whole uses every row: it cannot be combined with --split or --split-seed");
  const Dataset data = read_libsvm(o.data);
  std::string rows_used;
  double R = 0.0;
  if (o.whole) {
    R = data.max_row_norm();
    rows_used = fmt::format("the whole file: all {} rows", data.rows());
  } else {
    const TrainTestSplit split = train_test_split(data, o.split, o.split_seed);
    R = split.train.max_row_norm();
    rows_used = fmt::format(
        "training split: {} of {} rows (test fraction {:g}, split seed {}; --whole for all rows)",
        split.train.rows(), data.rows(), o.split, o.split_seed);
  }
  const auto s = optim::seed_step_sizes(R, *o.lambda, data.cols(), *o.delta);
  fmt::print("seed step sizes for L2-regularised logistic regression (docs/theory.md §3)\n");
  fmt::print("data:       {} ({} rows, d = {})\n", o.data, data.rows(), data.cols());
  fmt::print("rows used:  {}\n", rows_used);
  fmt::print("R        = max_i |a_i|_2 over the rows used  = {:.8g}\n", s.R);
  fmt::print("lambda   = {:g}\n", s.lambda);
  fmt::print("delta    = {:g}  (log(1/delta) = {:.8g})\n", s.delta, std::log(1.0 / s.delta));
  fmt::print("L        = R^2 + lambda                      = {:.8g}\n", s.L);
  fmt::print("L1       = R + lambda                        = {:.8g}\n", s.L1);
  fmt::print("gamma_L  = 1/(L d^(3/2) log(1/delta))        = {:.8g}\n", s.gamma_L);
  fmt::print("gamma_L1 = 1/(L1 d^(3/2) log(1/delta))       = {:.8g}\n", s.gamma_L1);
  fmt::print("gamma_M  = 0.1/(8 L1 d)  (momentum runs)     = {:.8g}\n", s.gamma_momentum);
}

void tune_from_constants(const TuneOptions& o, CLI::App& cmd) {
  for (const char* flag : {"--lambda", "--split", "--split-seed", "--whole"}) {
    require(cmd.count(flag) == 0, "{} only applies with --data FILE", flag);
  }
  require(o.d.has_value() && o.L0.has_value() && o.L1.has_value() && o.delta1.has_value() &&
              o.eps.has_value(),
          "the theory tuner needs --d, --L0, --L1, --delta1 and --eps (or use --data FILE "
          "--lambda L --delta P for the seed step sizes)");
  require(!(o.sigma && (o.sigma1 || o.sigma_kappa)),
          "--sigma (a constant per-coordinate sigma) excludes --sigma1 and --sigma-kappa");
  require(o.sigma || o.sigma1 || o.sigma_kappa,
          "give the noise level: --sigma1 (|sigma|_1), --sigma-kappa (|sigma|_kappa) or --sigma "
          "(constant per coordinate; 0 for no noise)");
  const bool want_hp = o.method == "all" || o.method == "minibatch-signsgd";
  const bool want_momentum = o.method == "all" || o.method == "m-signsgd";
  require(want_hp || want_momentum,
          "--method must be one of all, minibatch-signsgd, m-signsgd, "
          "got '{}'",
          o.method);

  optim::TunerInputs in;
  in.d = static_cast<Index>(*o.d);
  in.L0 = *o.L0;
  in.L1 = *o.L1;
  in.delta1 = *o.delta1;
  in.kappa = o.kappa;
  in.epsilon = *o.eps;
  in.c = o.c;
  in.grad1_l1 = o.grad1;
  in.initial_momentum_error = o.eps1;
  in.sigma_l1 = o.sigma1;
  in.sigma_kappa = o.sigma_kappa;
  if (want_hp) {
    require(o.delta.has_value(), "minibatch-SignSGD's high-probability tuning needs --delta");
  }
  in.delta = o.delta.value_or(0.5);
  if (o.sigma) in.set_constant_sigma(*o.sigma);
  optim::validate(in, want_hp);
  // Everything is computed before anything is printed: an error leaves no partial output.
  std::optional<optim::MinibatchSignSgdTuning> hp;
  std::optional<optim::MomentumSignSgdTuning> momentum;
  if (want_hp) hp = optim::tune_minibatch_signsgd(in);
  if (want_momentum) momentum = optim::tune_momentum_signsgd(in);

  fmt::print(
      "inputs: d = {}, L0 = {:g}, L1 = {:g}, Delta1 = {:g}, kappa = {:g}, eps = {:g}, c = {:g}",
      in.d, in.L0, in.L1, in.delta1, in.kappa, in.epsilon, in.c);
  if (want_hp) fmt::print(", delta = {:g}", in.delta);
  fmt::print("\n");
  if (in.sigma_l1) fmt::print("        |sigma|_1 = {:g}\n", *in.sigma_l1);
  if (in.sigma_kappa) fmt::print("        |sigma|_kappa = {:g}\n", *in.sigma_kappa);
  if (in.grad1_l1) fmt::print("        |grad f(x1)|_1 = {:g}\n", *in.grad1_l1);

  if (hp) {
    const auto& t = *hp;
    fmt::print("\nminibatch-SignSGD, with probability >= 1 - delta (final paper, Theorem 1)\n");
    fmt::print("  regime:           {} ({})\n", t.regime, t.regime_text);
    fmt::print("  gamma:            {:.8g}\n", t.gamma);
    fmt::print("  batch B:          {}\n", t.batch);
    fmt::print("  iterations T:     {}\n", t.iterations);
    fmt::print("  oracle calls N:   {}\n", t.oracle_calls);
    fmt::print("  gamma <= 1/(48 L1 d^(3/2) log(1/delta)) = {:.6g}: {}\n", t.gamma_max,
               t.step_size_condition ? "holds" : "VIOLATED");
    if (t.bound) print_bound(*t.bound);
    print_notes(t.notes);
  }
  if (momentum) {
    const auto& t = *momentum;
    fmt::print("\nM-SignSGD, in expectation (final paper, Theorem 2)\n");
    fmt::print("  regime:           {} ({})\n", t.regime, t.regime_text);
    fmt::print("  beta:             {:.8g}  (1 - beta = {:.6g})\n", t.beta, t.one_minus_beta);
    fmt::print("  gamma:            {:.8g}\n", t.gamma);
    fmt::print("  iterations T:     {}  (smallest T with bound <= eps)\n", t.iterations);
    fmt::print("  gamma <= (1-beta)/(8 L1 d) = {:.6g}: {}\n", t.gamma_max,
               t.step_size_condition ? "holds" : "VIOLATED");
    fmt::print("  E|m1 - grad f(x1)|_2 used: {:.6g}\n", t.initial_momentum_error_used);
    print_bound(t.bound);
    print_notes(t.notes);
  }
}

void setup_tune(CLI::App& cmd) {
  auto o = std::make_shared<TuneOptions>();
  cmd.add_option("--data", o->data, "LIBSVM file: print the seed step sizes gamma_L, gamma_L1");
  cmd.add_option("--lambda", o->lambda, "L2 weight of the logistic loss (with --data)");
  cmd.add_option("--split", o->split, "test fraction of the seeded split (default 0.2)");
  cmd.add_option("--split-seed", o->split_seed, "seed of the train/test split (default 0)");
  cmd.add_flag("--whole", o->whole, "use every row of the file instead of the training split");
  cmd.add_option("--d", o->d, "dimension d");
  cmd.add_option("--L0", o->L0, "(L0,L1)-smoothness constant L0 >= 0");
  cmd.add_option("--L1", o->L1, "(L0,L1)-smoothness constant L1 >= 0");
  cmd.add_option("--delta1", o->delta1, "Delta1 = f(x1) - f* > 0");
  cmd.add_option("--sigma1", o->sigma1, "|sigma|_1, the l1 norm of the noise levels");
  cmd.add_option("--sigma-kappa", o->sigma_kappa, "|sigma|_kappa");
  cmd.add_option("--sigma", o->sigma, "a constant per-coordinate noise level sigma_i");
  cmd.add_option("--kappa", o->kappa, "noise moment kappa in (1, 2] (default 2)");
  cmd.add_option("--delta", o->delta, "failure probability delta in (0, 1)");
  cmd.add_option("--eps", o->eps, "target accuracy eps > 0");
  cmd.add_option("--c", o->c, "the theorems' constant c >= 1 (default 1)");
  cmd.add_option("--grad1", o->grad1, "|grad f(x1)|_1 (for the bound values)");
  cmd.add_option("--eps1", o->eps1, "E|m1 - grad f(x1)|_2 for M-SignSGD (default: bounded)");
  cmd.add_option("--method", o->method, "all (default), minibatch-signsgd or m-signsgd");
  cmd.callback([o, &cmd] {
    if (!o->data.empty()) {
      tune_from_data(*o, cmd);
    } else {
      tune_from_constants(*o, cmd);
    }
  });
}

const CommandRegistration registration{
    {"tune", "Theory-prescribed step sizes, batch sizes, momentum and T (docs/theory.md §3)",
     setup_tune}};

}  // namespace
}  // namespace signopt::cli
