#pragma once
// Resolves method parameters given as words into the numbers the theory prescribes
//, so a config can say lr = "theory".
//
//   "gamma-L"   γ_L  = 1 / (L · d^{3/2} · log(1/δ_s))   (the seed's L-tuned GD/SGD step)
//   "gamma-L1"  γ_L1 = 1 / (L1 · d^{3/2} · log(1/δ_s))  (the seed's L1-tuned SignSGD step)
//   "gamma-M"   γ_M  = 0.1 / (8 · L1 · d)               (the final paper's M-SignSGD runs)
// with δ_s = [theory] seed_delta (0.99, the notebook's constant) and, for logistic regression,
// the seed's L = R² + λ, L1 = R + λ (so the seed's steps are reproduced whatever
// [theory] constants says; for other problems the constants in use).
//   "theory"    per recipe: sgd, m-sgd, heavy-ball → gamma-L; signsgd, ef-signsgd → gamma-L1;
//               minibatch-signsgd → γ and B of the high-probability tuner (Theorem 1);
//               m-signsgd → γ and β of the in-expectation tuner (Theorem 2).
// The tuners need ε ([theory] epsilon) and the noise level σ (given, or estimated by Monte
// Carlo from the injected noise model's κ-th moment).
#include <string>
#include <vector>

#include "signopt/core/tail_index.hpp"
#include "signopt/experiment/config.hpp"
#include "signopt/noise/noise_model.hpp"
#include "signopt/problems/problem.hpp"

namespace signopt::experiment {

// What the theory needs to know about the problem at the start point, and how far each input
// is proved: the check (theory_check.hpp) only says "held" when every input is.
struct TheoryContext {
  Index d = 0;
  std::optional<double> L, L0, L1;  // smoothness constants
  std::string constants;            // "smooth", "seed", "estimated" or "given" (what L0, L1 are)
  bool constants_proved = false;    // L0, L1 proved valid for this objective
  std::string constants_text;       // where they come from, and why they are (not) proved
  double delta1 = 0.0;          // Δ1 = f(x¹) − f* (or − a lower bound: still an upper bound)
  std::string delta1_text;      // "Δ1 uses f* = ...", "Δ1 uses the lower bound 0, not f*"
  double grad1_l1 = 0.0;        // ‖∇f(x¹)‖₁
  double grad1_l2 = 0.0;        // ‖∇f(x¹)‖₂
  std::optional<double> kappa;  // κ ∈ (1, 2]; absent: no κ is below the noise's tail index
  std::string kappa_text;       // given, or chosen below which tail index
  std::optional<double> sigma;  // per-coordinate σ_i (constant across coordinates)
  std::string sigma_source;     // "config", "closed form for the noise model", ...
  bool sigma_proved = false;    // σ is the supremum over x of the oracle's κ-th moment
  Vector sigma_per_coordinate;  // measured σ⃗ (constants = "estimated"); empty: use sigma
  std::vector<std::string> notes;  // where measured constants come from
  // The seed's L = R² + λ and L1 = R + λ for logistic regression, whatever `constants` says: the
  // words "gamma-L", "gamma-L1", "gamma-M" (and lr = "theory" of sgd/signsgd) are the seed's
  // step sizes and reproduce them. Absent for other problems (the words then use L, L1 above).
  std::optional<double> seed_L, seed_L1;
};

// f_star: the minimum of f when the caller knows it, or a lower bound on it — Δ1 must not be
// underestimated for the bound to be valid, so a reference solver's value (an upper estimate of
// f*) should have its certified optimality gap subtracted. Without it Δ1 uses the problem's lower
// bound (0 for the losses here), and delta1_text says so.
TheoryContext make_theory_context(const ExperimentConfig& config, const Problem& problem,
                                  const NoiseModel& noise,
                                  std::optional<double> f_star = std::nullopt);

struct ResolvedMethod {
  optim::Params params;            // every word replaced by its number
  std::vector<std::string> notes;  // "lr = theory → 0.0150369 (γ_L1 = ...)"
};

// Throws Error naming the method, the parameter and what is missing (a constant, ε, σ).
ResolvedMethod resolve_theory_parameters(const MethodConfig& method, const ExperimentConfig& config,
                                         const TheoryContext& context);

}  // namespace signopt::experiment
