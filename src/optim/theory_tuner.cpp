#include "signopt/optim/theory_tuner.hpp"

#include <fmt/format.h>

#include <cmath>
#include <functional>
#include <limits>

#include "signopt/core/error.hpp"

namespace signopt::optim {
namespace {

// Iteration counts beyond this are not runs anyone can do; they also keep T·B in int64.
constexpr double kMaxCount = 4.0e18;

void require_non_negative(double v, const char* name) {
  require(std::isfinite(v) && v >= 0, "{} must be finite and >= 0, got {}", name, v);
}

std::int64_t to_count(double v, const char* what) {
  require(v <= kMaxCount, "{} would be {:.3g}, beyond what any run can do (limit {:.0e})", what, v,
          kMaxCount);
  return static_cast<std::int64_t>(v);
}

// The smallest integer T ≥ 1 with holds(T), for a predicate that is false below some T* and
// true from T* on. `guess` is the real-valued solution; it is corrected for rounding.
std::int64_t smallest_integer(double guess, const std::function<bool(double)>& holds,
                              const char* what) {
  double t = std::max(1.0, std::ceil(guess));
  require(t <= kMaxCount, "{} would be {:.3g}, beyond what any run can do (limit {:.0e})", what, t,
          kMaxCount);
  while (t > 1 && holds(t - 1)) t -= 1;
  while (!holds(t)) t += 1;
  return to_count(t, what);
}

struct Sigmas {
  double l1;
  double kappa_norm;
};

Sigmas resolve_sigmas(const TunerInputs& in, std::vector<std::string>* notes) {
  const double d = static_cast<double>(in.d);
  Sigmas s{};
  if (in.sigma_l1) {
    s.l1 = *in.sigma_l1;
  } else {
    s.l1 = std::pow(d, 1.0 - 1.0 / in.kappa) * *in.sigma_kappa;
    if (notes) {
      notes->push_back("|sigma|_1 not given: bounded by d^(1-1/kappa) |sigma|_kappa (Hoelder)");
    }
  }
  if (in.sigma_kappa) {
    s.kappa_norm = *in.sigma_kappa;
  } else {
    s.kappa_norm = *in.sigma_l1;
    if (notes) notes->push_back("|sigma|_kappa not given: bounded by |sigma|_1");
  }
  return s;
}

}  // namespace

void TunerInputs::set_sigma(const Vector& sigma) {
  require(sigma.size() >= 1, "the noise vector sigma is empty");
  require(sigma.allFinite() && (sigma.array() >= 0).all(), "every sigma_i must be finite and >= 0");
  require(kappa > 1 && kappa <= 2, "kappa must be in (1, 2], got {}", kappa);
  // A plain loop: Eigen's vectorised pow() trips GCC 12's -Wuninitialized in AVX-512 headers.
  double l1 = 0.0, power_sum = 0.0;
  for (Index i = 0; i < sigma.size(); ++i) {
    l1 += sigma[i];
    power_sum += std::pow(sigma[i], kappa);
  }
  sigma_l1 = l1;
  sigma_kappa = std::pow(power_sum, 1.0 / kappa);
}

void TunerInputs::set_constant_sigma(double s) {
  require_non_negative(s, "sigma");
  require(d >= 1, "set the dimension d before a constant sigma");
  require(kappa > 1 && kappa <= 2, "kappa must be in (1, 2], got {}", kappa);
  sigma_l1 = static_cast<double>(d) * s;
  sigma_kappa = std::pow(static_cast<double>(d), 1.0 / kappa) * s;
}

void validate(const TunerInputs& in, bool needs_delta) {
  require(in.d >= 1, "the dimension d must be at least 1, got {}", in.d);
  require_non_negative(in.L0, "L0");
  require_non_negative(in.L1, "L1");
  require(in.L0 > 0 || in.L1 > 0,
          "L0 and L1 cannot both be 0 (the bounds need a smoothness "
          "constant)");
  require(std::isfinite(in.delta1) && in.delta1 > 0,
          "Delta1 = f(x1) - f* must be finite and > 0, got {}", in.delta1);
  require(in.sigma_l1 || in.sigma_kappa,
          "no noise level: give |sigma|_1, |sigma|_kappa or a per-coordinate sigma (0 for no "
          "noise)");
  if (in.sigma_l1) require_non_negative(*in.sigma_l1, "|sigma|_1");
  if (in.sigma_kappa) require_non_negative(*in.sigma_kappa, "|sigma|_kappa");
  require(in.kappa > 1 && in.kappa <= 2, "kappa must be in (1, 2], got {}", in.kappa);
  if (needs_delta) {
    require(in.delta > 0 && in.delta < 1, "delta must be in (0, 1), got {}", in.delta);
  }
  require(std::isfinite(in.epsilon) && in.epsilon > 0, "epsilon must be finite and > 0, got {}",
          in.epsilon);
  require(std::isfinite(in.c) && in.c >= 1, "the constant c must be finite and >= 1, got {}", in.c);
  if (in.grad1_l1) require_non_negative(*in.grad1_l1, "|grad f(x1)|_1");
  if (in.initial_momentum_error) {
    require_non_negative(*in.initial_momentum_error, "the initial momentum error E|m1 - grad|_2");
  }
}

BoundTerms minibatch_signsgd_bound(const TunerInputs& in, double sigma_l1, double gamma,
                                   double batch, double iterations) {
  require(in.grad1_l1.has_value(), "the minibatch-SignSGD bound needs |grad f(x1)|_1");
  const double d = static_cast<double>(in.d);
  const double log_inv_delta = std::log(1.0 / in.delta);
  BoundTerms b;
  b.terms = {
      {"4 Delta1/(T gamma)", 4.0 * in.delta1 / (iterations * gamma)},
      {"80 L0 d gamma log(1/delta)", 80.0 * in.L0 * d * gamma * log_inv_delta},
      {"8 |sigma|_1 / B^((kappa-1)/kappa)",
       8.0 * sigma_l1 / std::pow(batch, (in.kappa - 1.0) / in.kappa)},
      {"24 d |grad f(x1)|_1 log(1/delta) / T",
       24.0 * d * *in.grad1_l1 * log_inv_delta / iterations},
  };
  for (const auto& [name, value] : b.terms) b.total += value;
  return b;
}

MinibatchSignSgdTuning tune_minibatch_signsgd(const TunerInputs& in) {
  validate(in, true);
  MinibatchSignSgdTuning out;
  const Sigmas sig = resolve_sigmas(in, &out.notes);
  out.sigma_l1_used = sig.l1;
  const double d = static_cast<double>(in.d);
  const double d32 = d * std::sqrt(d);
  const double log_inv_delta = std::log(1.0 / in.delta);
  const double eps = in.epsilon;

  // B = max{1, ⌈(16‖σ⃗‖₁/ε)^{κ/(κ−1)}⌉}: makes the noise term 8‖σ⃗‖₁/B^{(κ−1)/κ} ≤ ε/2.
  const double batch_real = std::pow(16.0 * sig.l1 / eps, in.kappa / (in.kappa - 1.0));
  out.batch = std::max<std::int64_t>(1, to_count(std::ceil(batch_real), "the batch size B"));

  out.gamma_max = in.L1 > 0 ? 1.0 / (48.0 * in.L1 * d32 * log_inv_delta)
                            : std::numeric_limits<double>::infinity();
  const double threshold = in.L1 > 0 ? 8.0 * in.L0 / (in.c * in.L1 * std::sqrt(d))
                                     : std::numeric_limits<double>::infinity();
  if (eps >= threshold) {
    out.regime = 1;
    out.regime_text = fmt::format("eps >= 8 L0/(c L1 sqrt(d)) = {:.6g}", threshold);
    out.gamma = 1.0 / (48.0 * in.c * in.L1 * d32 * log_inv_delta);
    // 192 c Δ1 L1 log(1/δ) d^{3/2} / T ≤ ε/2.
    const double numerator = 192.0 * in.c * in.delta1 * in.L1 * log_inv_delta * d32;
    out.iterations = smallest_integer(
        2.0 * numerator / eps, [&](double t) { return numerator / t <= eps / 2.0; },
        "the iteration count T");
  } else {
    out.regime = 2;
    out.regime_text = fmt::format("eps < 8 L0/(c L1 sqrt(d)) = {:.6g}", threshold);
    // 2 √(320 Δ1 L0 log(1/δ) d / T) ≤ ε/2, i.e. T ≥ 5120 Δ1 L0 log(1/δ) d / ε².
    const double a = 320.0 * in.delta1 * in.L0 * log_inv_delta * d;
    out.iterations = smallest_integer(
        16.0 * a / (eps * eps), [&](double t) { return 2.0 * std::sqrt(a / t) <= eps / 2.0; },
        "the iteration count T");
    out.gamma = std::sqrt(in.delta1 /
                          (20.0 * in.L0 * log_inv_delta * d * static_cast<double>(out.iterations)));
  }
  const double n = static_cast<double>(out.iterations) * static_cast<double>(out.batch);
  out.oracle_calls = to_count(n, "the number of oracle calls N = T B");
  out.step_size_condition = out.gamma <= out.gamma_max;
  if (!out.step_size_condition) {
    out.notes.push_back(fmt::format(
        "gamma = {:.6g} exceeds 1/(48 L1 d^(3/2) log(1/delta)) = {:.6g}, the step size the "
        "explicit bound is proved for",
        out.gamma, out.gamma_max));
  }
  if (in.grad1_l1) {
    out.bound = minibatch_signsgd_bound(in, sig.l1, out.gamma, static_cast<double>(out.batch),
                                        static_cast<double>(out.iterations));
  } else {
    out.notes.push_back("the bound value needs |grad f(x1)|_1");
  }
  return out;
}

BoundTerms momentum_signsgd_bound(const TunerInputs& in, double sigma_kappa,
                                  double initial_momentum_error, double one_minus_beta,
                                  double gamma, double iterations) {
  const double d = static_cast<double>(in.d);
  const double sd = std::sqrt(d);
  BoundTerms b;
  b.terms = {
      {"2 Delta1/(gamma T)", 2.0 * in.delta1 / (gamma * iterations)},
      {"4 sqrt(d) E|eps1|_2 / (T (1-beta))",
       4.0 * sd * initial_momentum_error / (iterations * one_minus_beta)},
      {"8 sqrt(d) (1-beta)^((kappa-1)/kappa) |sigma|_kappa",
       8.0 * sd * std::pow(one_minus_beta, (in.kappa - 1.0) / in.kappa) * sigma_kappa},
      {"2 L0 d gamma / (1-beta)", 2.0 * in.L0 * d * gamma / one_minus_beta},
  };
  for (const auto& [name, value] : b.terms) b.total += value;
  return b;
}

MomentumSignSgdTuning tune_momentum_signsgd(const TunerInputs& in) {
  validate(in, false);
  require(
      in.grad1_l1 || in.initial_momentum_error,
      "M-SignSGD tuning needs |grad f(x1)|_1 or the initial momentum error E|m1 - grad f(x1)|_2 "
      "(its bound, from which T is solved, contains it)");
  MomentumSignSgdTuning out;
  const Sigmas sig = resolve_sigmas(in, &out.notes);
  out.sigma_kappa_used = sig.kappa_norm;
  const double d = static_cast<double>(in.d);
  const double kappa = in.kappa;
  const double threshold =
      in.L1 > 0 ? 3.0 * in.L0 / (in.c * in.L1) : std::numeric_limits<double>::infinity();
  out.regime = in.epsilon >= threshold ? 1 : 2;
  out.regime_text =
      fmt::format("eps {} 3 L0/(c L1) = {:.6g}", out.regime == 1 ? ">=" : "<", threshold);

  // 1−β and γ as functions of T (docs/theory.md §3; 1 − β = min{…}, the proof's reading).
  auto one_minus_beta = [&](double t) {
    if (sig.kappa_norm == 0.0) return 1.0;
    if (out.regime == 1) {
      return std::min(1.0, std::pow(in.c * in.delta1 * in.L1 * std::sqrt(d) / (t * sig.kappa_norm),
                                    kappa / (2.0 * kappa - 1.0)));
    }
    return std::min(1.0, std::pow(in.delta1 * in.L0 / (t * sig.kappa_norm * sig.kappa_norm),
                                  kappa / (3.0 * kappa - 2.0)));
  };
  auto gamma_for = [&](double t, double omb) {
    if (out.regime == 1) return omb / (8.0 * in.c * in.L1 * d);
    return std::sqrt(in.delta1 * omb / (t * in.L0 * d));
  };
  auto eps1_for = [&](double omb) {
    if (in.initial_momentum_error) return *in.initial_momentum_error;
    return (1.0 - omb) * *in.grad1_l1 + omb * sig.kappa_norm;
  };
  auto bound_at = [&](double t) {
    const double omb = one_minus_beta(t);
    return momentum_signsgd_bound(in, sig.kappa_norm, eps1_for(omb), omb, gamma_for(t, omb), t);
  };
  auto holds = [&](double t) { return bound_at(t).total <= in.epsilon; };

  // The bound decreases in T (each term does, with β and γ the prescribed functions of T), so
  // the smallest T is found by doubling, then bisection.
  double hi = 1.0;
  while (!holds(hi)) {
    hi *= 2.0;
    require(hi <= kMaxCount,
            "M-SignSGD: no T up to {:.0e} brings the bound below eps = {:g} (the target is out of "
            "reach for these constants)",
            kMaxCount, in.epsilon);
  }
  double lo = hi / 2.0;  // bound > ε at lo unless hi == 1
  if (hi == 1.0) {
    lo = 1.0;
  } else {
    while (hi - lo > 1.0) {
      const double mid = std::floor((lo + hi) / 2.0);
      (holds(mid) ? hi : lo) = mid;
    }
  }
  const double t = hi;
  out.iterations = to_count(t, "the iteration count T");
  out.one_minus_beta = one_minus_beta(t);
  out.beta = 1.0 - out.one_minus_beta;
  out.gamma = gamma_for(t, out.one_minus_beta);
  out.initial_momentum_error_used = eps1_for(out.one_minus_beta);
  if (!in.initial_momentum_error) {
    out.notes.push_back(
        "E|m1 - grad f(x1)|_2 bounded by beta |grad f(x1)|_1 + (1-beta) |sigma|_kappa (m0 = 0)");
  }
  out.bound = bound_at(t);
  out.gamma_max =
      in.L1 > 0 ? out.one_minus_beta / (8.0 * in.L1 * d) : std::numeric_limits<double>::infinity();
  out.step_size_condition = out.gamma <= out.gamma_max;
  if (!out.step_size_condition) {
    out.notes.push_back(fmt::format(
        "gamma = {:.6g} exceeds (1-beta)/(8 L1 d) = {:.6g}, the step size the explicit bound is "
        "proved for",
        out.gamma, out.gamma_max));
  }
  return out;
}

SeedStepSizes seed_step_sizes(double R, double lambda, Index d, double delta) {
  require_non_negative(R, "R = max_i |a_i|_2");
  require_non_negative(lambda, "lambda");
  require(R + lambda > 0, "R and lambda cannot both be 0");
  require(d >= 1, "the dimension d must be at least 1, got {}", d);
  require(delta > 0 && delta < 1, "delta must be in (0, 1), got {}", delta);
  SeedStepSizes s;
  s.R = R;
  s.lambda = lambda;
  s.d = d;
  s.delta = delta;
  s.L = R * R + lambda;
  s.L1 = R + lambda;
  const double dd = static_cast<double>(d);
  const double scale = dd * std::sqrt(dd) * std::log(1.0 / delta);
  s.gamma_L = 1.0 / (s.L * scale);
  s.gamma_L1 = 1.0 / (s.L1 * scale);
  s.gamma_momentum = 0.1 / (8.0 * s.L1 * dd);
  return s;
}

}  // namespace signopt::optim
