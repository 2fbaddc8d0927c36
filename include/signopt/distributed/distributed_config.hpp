#pragma once
// One distributed method = compressor + error feedback + aggregator (+ per-worker momentum,
// + faults), and the named recipes of docs/theory.md §2/§4 built from them.
#include <cstdint>
#include <string>
#include <vector>

#include "signopt/core/types.hpp"
#include "signopt/distributed/aggregator.hpp"
#include "signopt/distributed/compressor.hpp"
#include "signopt/distributed/error_feedback.hpp"
#include "signopt/distributed/fault_model.hpp"

namespace signopt {

struct DistributedConfig {
  Index workers = 1;
  CompressorSpec compressor;
  ErrorFeedbackKind error_feedback = ErrorFeedbackKind::None;
  AggregatorKind aggregator = AggregatorKind::Mean;
  // β of the per-worker momentum m_j ← β m_j + (1 − β) g_j (EMA form, m⁰ = 0), sent instead of
  // g_j (Signum-style majority vote, Bernstein et al. 2019). 0: no momentum.
  double worker_momentum = 0.0;
  // Where the step size γ is applied. false: workers send C(u), the server does
  // x ← x − γ·aggregate. true (the error-feedback form of Karimireddy et al. 2019,
  // p = γ g + e): workers send C(γ u + e), the server does x ← x − aggregate.
  bool step_size_on_worker = false;
  FaultSpec faults;
  // A digest of the inputs every rank reads for itself (e.g. the data files'
  // study_inputs_hash), 0 if none: part of the fingerprint, so ranks whose copies of the data
  // differ refuse to start instead of computing gradients on different data.
  std::uint64_t inputs_digest = 0;

  // Throws Error naming the first bad field (e.g. majority vote without the sign compressor).
  void validate(Index d) const;
  std::string describe() const;
  // A hash of everything that must agree between MPI ranks, including the dimension d.
  std::uint64_t fingerprint(Index d) const;
};

// The named recipes:
//   distributed-sgd        identity(fp32) + mean  (fp32 like the compressors' values, so bit
//                          counts compare like with like; fp64 via compressor.values)
//   majority-vote-signsgd  sign + majority vote            (Bernstein et al. 2018/2019)
//   majority-vote-signum   sign + majority vote, per-worker momentum β = 0.9
//   ef-signsgd             scaled-sign + residual EF + mean, γ on the worker (Karimireddy 2019)
//   scaled-sign            scaled-sign + mean, no error feedback
//   top-k, rand-k, qsgd    that compressor + mean, no error feedback
//   top-k-ef, rand-k-ef, qsgd-ef   the same with residual error feedback, γ on the worker
//                          (rand-k-ef uses unscaled rand-k: EF needs a contractive compressor)
// Compressor parameters (k, levels, float format) keep CompressorSpec's defaults; callers
// override fields of the returned config.
DistributedConfig distributed_recipe(const std::string& name, Index workers);
std::vector<std::string> distributed_recipe_names();

}  // namespace signopt
