#pragma once
// The stochastic gradient oracle: ∇f(x, ξ) = (exact full or minibatch gradient) + noise.
//
// One oracle belongs to one run (or one worker of a run) and owns its random streams, derived
// from (experiment seed, run seed, worker id), so results never depend on scheduling.
//
// estimate(x, B, g) returns the average of B independent oracle draws,
//   g = (1/B) Σ_{i=1..B} ∇f(x, ξ_i),
// where one draw is the full gradient (sampling = Full) or the gradient over b data samples
// (sampling = WithReplacement / WithoutReplacement; b = samples_per_draw(), default 1), plus one
// independent noise vector.
// For full-gradient sampling the exact part does not depend on ξ, so it is computed once and
// the B noise vectors are averaged. Calls are counted in draws: N = Σ_k B_k.
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "signopt/core/rng.hpp"
#include "signopt/core/types.hpp"
#include "signopt/noise/noise_model.hpp"
#include "signopt/problems/problem.hpp"

namespace signopt {

enum class Sampling {
  Full,                // exact full gradient each draw
  WithReplacement,     // each draw is one uniformly random sample
  WithoutReplacement,  // a batch of B draws uses B distinct samples (B ≤ n)
};

std::string to_string(Sampling s);
Sampling sampling_from_string(const std::string& name);  // throws Error listing valid names

// Identifies a random stream: (experiment seed, run seed, worker id).
struct StreamKey {
  std::uint64_t experiment_seed = 0;
  std::uint64_t run_seed = 0;
  std::uint64_t worker = 0;
};

class GradientOracle {
 public:
  GradientOracle(const Problem& problem, std::shared_ptr<const NoiseModel> noise, Sampling sampling,
                 StreamKey key, Vector coordinate_scale = {});

  // g = (1/B) Σ_{i=1..B} ∇f(x, ξ_i). B ≥ 1.
  void estimate(const Vector& x, Index batch, Vector& g);
  void estimate(const Vector& x, Vector& g) { estimate(x, 1, g); }

  // The runner may already hold ∇f(x) for the point the next estimate() is asked at (it
  // computes exact gradients of many runs in one pass). With Full sampling the oracle then
  // uses it instead of recomputing. The hint applies to one estimate() call.
  void hint_exact_gradient(const Vector& exact_gradient);

  // Data samples per draw for minibatch sampling (default 1): one draw is then the gradient
  // over this many samples (a minibatch), plus one noise vector. Must be ≥ 1.
  void set_samples_per_draw(Index samples);
  Index samples_per_draw() const { return samples_per_draw_; }

  const Problem& problem() const { return problem_; }
  const NoiseModel& noise() const { return *noise_; }
  Sampling sampling() const { return sampling_; }
  std::int64_t draws() const { return draws_; }  // oracle calls so far (Σ B_k)
  // Per-sample gradients ∇f_i computed so far: n per full gradient (hinted or not; 1 for a
  // problem without data), b·B per minibatch estimate. Epochs = sample_gradients() / n.
  std::int64_t sample_gradients() const { return sample_gradients_; }

 private:
  const Problem& problem_;
  std::shared_ptr<const NoiseModel> noise_;
  bool noiseless_;  // NoNoise: no draws to make (decided once, not per estimate)
  Sampling sampling_;
  Vector coordinate_scale_;  // empty: no per-coordinate scaling
  Rng noise_rng_;
  Rng sample_rng_;
  Index samples_per_draw_ = 1;
  std::int64_t draws_ = 0;
  std::int64_t sample_gradients_ = 0;
  const Vector* hint_ = nullptr;
  Vector noise_buffer_;
  std::vector<Index> indices_;
  std::vector<Index> permutation_;  // without-replacement sampling state
};

}  // namespace signopt
