#include "signopt/distributed/distributed_config.hpp"

#include <bit>
#include <cmath>

#include "signopt/core/error.hpp"
#include "signopt/core/rng.hpp"

namespace signopt {

void DistributedConfig::validate(Index d) const {
  require(workers >= 1, "distributed: the number of workers must be at least 1, got {}", workers);
  compressor.validate(d);
  require(std::isfinite(worker_momentum) && worker_momentum >= 0.0 && worker_momentum < 1.0,
          "distributed: worker momentum β must be in [0, 1), got {}", worker_momentum);
  if (aggregator == AggregatorKind::MajorityVote) {
    require(compressor.kind == CompressorKind::Sign,
            "distributed: majority vote aggregates 1-bit signs and needs the 'sign' compressor, "
            "got '{}'",
            to_string(compressor.kind));
    require(error_feedback == ErrorFeedbackKind::None,
            "distributed: majority vote does not combine with error feedback (the residual of a "
            "±1 vote has no scale to feed back); use ef-signsgd (scaled-sign + mean) instead");
  }
  faults.validate(workers);
}

std::string DistributedConfig::describe() const {
  std::string s =
      fmt::format("workers={}, compressor={}, error-feedback={}, aggregator={}", workers,
                  compressor.describe(), to_string(error_feedback), to_string(aggregator));
  if (worker_momentum > 0.0) s += fmt::format(", worker-momentum={}", worker_momentum);
  if (step_size_on_worker) s += ", step-size-on-worker";
  if (faults.kind != FaultKind::None && faults.adversaries > 0)
    s += ", faults=" + faults.describe();
  return s;
}

std::uint64_t DistributedConfig::fingerprint(Index d) const {
  std::uint64_t h = stream_tag("signopt distributed setup v1");
  const auto add = [&h](std::uint64_t v) { h = mix64(h ^ mix64(v)); };
  add(static_cast<std::uint64_t>(d));
  add(static_cast<std::uint64_t>(workers));
  add(static_cast<std::uint64_t>(compressor.kind));
  add(static_cast<std::uint64_t>(compressor.values));
  add(static_cast<std::uint64_t>(compressor.resolved_k(d)));
  add(static_cast<std::uint64_t>(compressor.levels));
  add(compressor.rand_k_rescale ? 1u : 0u);
  add(static_cast<std::uint64_t>(error_feedback));
  add(static_cast<std::uint64_t>(aggregator));
  add(std::bit_cast<std::uint64_t>(worker_momentum));
  add(step_size_on_worker ? 1u : 0u);
  add(static_cast<std::uint64_t>(faults.kind));
  add(static_cast<std::uint64_t>(faults.adversaries));
  add(std::bit_cast<std::uint64_t>(faults.scale));
  add(inputs_digest);
  return h;
}

std::vector<std::string> distributed_recipe_names() {
  return {"distributed-sgd",
          "majority-vote-signsgd",
          "majority-vote-signum",
          "ef-signsgd",
          "scaled-sign",
          "top-k",
          "top-k-ef",
          "rand-k",
          "rand-k-ef",
          "qsgd",
          "qsgd-ef"};
}

DistributedConfig distributed_recipe(const std::string& name, Index workers) {
  DistributedConfig c;
  c.workers = workers;
  const auto with_compressor = [&c](CompressorKind kind, FloatFormat values) {
    c.compressor.kind = kind;
    c.compressor.values = values;
  };
  const auto with_error_feedback = [&c] {
    c.error_feedback = ErrorFeedbackKind::Residual;
    c.step_size_on_worker = true;
  };
  if (name == "distributed-sgd") {
    with_compressor(CompressorKind::Identity, FloatFormat::Float32);
  } else if (name == "majority-vote-signsgd" || name == "majority-vote-signum") {
    with_compressor(CompressorKind::Sign, FloatFormat::Float32);
    c.aggregator = AggregatorKind::MajorityVote;
    if (name == "majority-vote-signum") c.worker_momentum = 0.9;
  } else if (name == "ef-signsgd" || name == "scaled-sign") {
    with_compressor(CompressorKind::ScaledSign, FloatFormat::Float32);
    if (name == "ef-signsgd") with_error_feedback();
  } else if (name == "top-k" || name == "top-k-ef") {
    with_compressor(CompressorKind::TopK, FloatFormat::Float32);
    if (name == "top-k-ef") with_error_feedback();
  } else if (name == "rand-k" || name == "rand-k-ef") {
    with_compressor(CompressorKind::RandK, FloatFormat::Float32);
    if (name == "rand-k-ef") {
      with_error_feedback();
      c.compressor.rand_k_rescale = false;  // EF needs the contractive form
    }
  } else if (name == "qsgd" || name == "qsgd-ef") {
    with_compressor(CompressorKind::Qsgd, FloatFormat::Float32);
    if (name == "qsgd-ef") with_error_feedback();
  } else {
    std::string valid;
    for (const auto& n : distributed_recipe_names()) valid += (valid.empty() ? "" : ", ") + n;
    fail("unknown distributed method '{}' (valid: {})", name, valid);
  }
  return c;
}

}  // namespace signopt
