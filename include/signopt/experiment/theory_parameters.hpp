#pragma once
// Resolves method parameters given as words into the numbers the theory prescribes
// (docs/theory.md §3), so a config can say lr = "theory".
//
//   "gamma-L"   γ_L  = 1 / (L · d^{3/2} · log(1/δ))    (the seed's L-tuned GD/SGD step)
//   "gamma-L1"  γ_L1 = 1 / (L1 · d^{3/2} · log(1/δ))   (the seed's L1-tuned SignSGD step)
//   "gamma-M"   γ_M  = 0.1 / (8 · L1 · d)               (the final paper's M-SignSGD runs)
//   "theory"    per recipe: sgd, m-sgd, heavy-ball → gamma-L; signsgd, ef-signsgd → gamma-L1;
//               minibatch-signsgd → γ and B of the high-probability tuner (Theorem 1);
//               m-signsgd → γ and β of the in-expectation tuner (Theorem 2).
// The tuners need ε ([theory] epsilon) and the noise level σ (given, or estimated by Monte
// Carlo from the injected noise model's κ-th moment).
#include <string>
#include <vector>

#include "signopt/experiment/config.hpp"
#include "signopt/noise/noise_model.hpp"
#include "signopt/problems/problem.hpp"

namespace signopt::experiment {

// What the theory needs to know about the problem at the start point.
struct TheoryContext {
  Index d = 0;
  std::optional<double> L, L0, L1;  // smoothness constants (config overrides the problem's)
  double delta1 = 0.0;              // Δ1 = f(x¹) − f* (f* = the problem's lower bound, or 0)
  double grad1_l1 = 0.0;            // ‖∇f(x¹)‖₁
  std::optional<double> sigma;      // per-coordinate σ_i (constant across coordinates)
  std::string sigma_source;         // "config", "Monte Carlo from the noise model", ...
  Vector sigma_per_coordinate;      // measured σ⃗ (constants = "estimated"); empty: use sigma
  std::vector<std::string> notes;   // where measured constants come from
};

TheoryContext make_theory_context(const ExperimentConfig& config, const Problem& problem,
                                  const NoiseModel& noise);

struct ResolvedMethod {
  optim::Params params;               // every word replaced by its number
  std::vector<std::string> notes;     // "lr = theory → 0.0150369 (γ_L1 = ...)"
};

// Throws Error naming the method, the parameter and what is missing (a constant, ε, σ).
ResolvedMethod resolve_theory_parameters(const MethodConfig& method, const ExperimentConfig& config,
                                         const TheoryContext& context);

}  // namespace signopt::experiment
