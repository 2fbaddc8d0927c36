#pragma once
// Theory-prescribed hyper-parameters (docs/theory.md §3): what the final seed paper's theorems say
// γ, B, β and T must be to reach (1/T) Σ ‖∇f(x^k)‖₁ ≤ ε-level accuracy, and the value of the
// explicit bound at those choices, so a run can be checked against it (docs/theory.md §6).
//
// log is natural throughout. The bounds are upper bounds up to the theorems' constants: at the
// tuned parameters they evaluate to a small multiple of ε, not to ε itself (docs/tuner.md).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "signopt/core/types.hpp"

namespace signopt::optim {

struct TunerInputs {
  Index d = 0;      // dimension
  double L0 = 0.0;  // (L0, L1)-smoothness constants, not both 0
  double L1 = 0.0;
  double delta1 = 0.0;  // Δ1 = f(x¹) − f* > 0
  // Noise level: give ‖σ⃗‖₁, ‖σ⃗‖_κ or both (set_sigma() fills both from a vector). A missing
  // one is bounded by the other: ‖σ⃗‖_κ ≤ ‖σ⃗‖₁ and ‖σ⃗‖₁ ≤ d^{1−1/κ} ‖σ⃗‖_κ (Hölder).
  std::optional<double> sigma_l1;
  std::optional<double> sigma_kappa;
  double kappa = 2.0;    // noise moment, κ ∈ (1, 2]
  double delta = 0.0;    // failure probability of the high-probability bound, δ ∈ (0, 1)
  double epsilon = 0.0;  // target accuracy ε > 0
  double c = 1.0;        // the theorems' free constant c ≥ 1
  // ‖∇f(x¹)‖₁: needed for the value of the minibatch bound (its last term) and, unless
  // initial_momentum_error is given, for the M-SignSGD bound.
  std::optional<double> grad1_l1;
  // E‖m¹ − ∇f(x¹)‖₂ for M-SignSGD. Default: with m⁰ = 0 (our EMA), m¹ = (1−β) g¹, hence
  // E‖ε¹‖₂ ≤ β ‖∇f(x¹)‖₂ + (1−β) E‖g¹ − ∇f(x¹)‖₂ ≤ β ‖∇f(x¹)‖₁ + (1−β) ‖σ⃗‖_κ (κ ≤ 2).
  std::optional<double> initial_momentum_error;

  // Per-coordinate σ⃗ (length d): sets ‖σ⃗‖₁ and ‖σ⃗‖_κ exactly (uses kappa).
  void set_sigma(const Vector& sigma);
  // Constant σ_i = s: ‖σ⃗‖₁ = d s, ‖σ⃗‖_κ = d^{1/κ} s (uses d and kappa).
  void set_constant_sigma(double s);
};

// Terms of an explicit bound, in the order the theorem writes them, and their sum.
struct BoundTerms {
  std::vector<std::pair<std::string, double>> terms;
  double total = 0.0;
};

struct MinibatchSignSgdTuning {
  int regime = 0;           // 1: ε ≥ 8L0/(c L1 √d) ("large ε"), 2: otherwise
  std::string regime_text;  // the condition, in words
  double gamma = 0.0;
  std::int64_t batch = 0;         // B
  std::int64_t iterations = 0;    // T
  std::int64_t oracle_calls = 0;  // N = T·B
  double gamma_max = 0.0;         // 1/(48 L1 d^{3/2} log(1/δ)): the theorem needs γ ≤ gamma_max
  bool step_size_condition = true;
  double sigma_l1_used = 0.0;
  std::optional<BoundTerms> bound;  // needs grad1_l1
  std::vector<std::string> notes;
};

struct MomentumSignSgdTuning {
  int regime = 0;  // 1: ε ≥ 3L0/(c L1), 2: otherwise
  std::string regime_text;
  double beta = 0.0;
  double one_minus_beta = 0.0;
  double gamma = 0.0;
  std::int64_t iterations = 0;  // T: the smallest T whose bound is ≤ ε
  double gamma_max = 0.0;       // (1−β)/(8 L1 d): the theorem needs γ ≤ gamma_max
  bool step_size_condition = true;
  double sigma_kappa_used = 0.0;
  double initial_momentum_error_used = 0.0;
  BoundTerms bound;
  std::vector<std::string> notes;
};

// Throws Error for impossible inputs: d < 1, negative or non-finite constants, L0 = L1 = 0,
// Δ1 ≤ 0, κ ∉ (1, 2], δ ∉ (0, 1), ε ≤ 0, c < 1, no noise level.
void validate(const TunerInputs& in, bool needs_delta);

// Final paper, Theorem 1 (docs/theory.md §3): minibatch-SignSGD with probability ≥ 1 − δ.
MinibatchSignSgdTuning tune_minibatch_signsgd(const TunerInputs& in);
// 4Δ1/(Tγ) + 80 L0 d γ log(1/δ) + 8‖σ⃗‖₁/B^{(κ−1)/κ} + 24 d ‖∇f(x¹)‖₁ log(1/δ)/T.
BoundTerms minibatch_signsgd_bound(const TunerInputs& in, double sigma_l1, double gamma,
                                   double batch, double iterations);

// Final paper, Theorem 2 (docs/theory.md §3, with the (1−β) reading of the proof): M-SignSGD in
// expectation.
MomentumSignSgdTuning tune_momentum_signsgd(const TunerInputs& in);
// 2Δ1/(γT) + 4√d E‖ε¹‖₂/(T(1−β)) + 8√d (1−β)^{(κ−1)/κ} ‖σ⃗‖_κ + 2 L0 d γ/(1−β).
BoundTerms momentum_signsgd_bound(const TunerInputs& in, double sigma_kappa,
                                  double initial_momentum_error, double one_minus_beta,
                                  double gamma, double iterations);

// The seed experiments' step sizes for L2-regularised logistic regression (docs/theory.md §3):
// L = R² + λ, L1 = R + λ, γ_L = 1/(L d^{3/2} log(1/δ)), γ_L1 = 1/(L1 d^{3/2} log(1/δ)), and
// the final paper's momentum step γ_M = 0.1/(8 L1 d).
struct SeedStepSizes {
  double R = 0.0, lambda = 0.0, delta = 0.0;
  Index d = 0;
  double L = 0.0, L1 = 0.0;
  double gamma_L = 0.0, gamma_L1 = 0.0, gamma_momentum = 0.0;
};
SeedStepSizes seed_step_sizes(double R, double lambda, Index d, double delta);

}  // namespace signopt::optim
