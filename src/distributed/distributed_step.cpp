#include "signopt/distributed/distributed_step.hpp"

#include <exception>
#include <thread>

#include "signopt/core/error.hpp"
#include "signopt/distributed/bit_packing.hpp"
#include "signopt/distributed/fault_model.hpp"

namespace signopt {

struct DistributedStep::Worker {
  Index id = 0;
  Vector momentum;
  ErrorFeedbackMemory memory;
  Rng compressor_rng;
  Rng fault_rng;
  Vector sent;       // u_j
  Vector corrected;  // p_j
  Vector decoded;    // decode(C(p_j)), for error feedback
  bool adversary = false;

  Worker(Index worker_id, ErrorFeedbackKind ef, Index d, const StreamKey& key)
      : id(worker_id),
        memory(ef, d),
        compressor_rng(
            Rng::derive({key.experiment_seed, key.run_seed, static_cast<std::uint64_t>(worker_id),
                         stream_tag("compressor")})),
        fault_rng(Rng::derive({key.experiment_seed, key.run_seed,
                               static_cast<std::uint64_t>(worker_id), stream_tag("fault")})) {}
};

DistributedStep::DistributedStep(DistributedConfig config, Index dim, Communicator& communicator,
                                 StreamKey key, int threads)
    : config_(std::move(config)), dim_(dim), communicator_(communicator), threads_(threads) {
  // The collective check comes first: a rank must not throw (and leave the others waiting in
  // a later collective) because of a config the other ranks do not share.
  communicator_.require_same_setup(config_.fingerprint(dim_),
                                   config_.inputs_digest == 0
                                       ? fmt::format("d={}, {}", dim_, config_.describe())
                                       : fmt::format("d={}, inputs {:016x}, {}", dim_,
                                                     config_.inputs_digest, config_.describe()));
  require(dim_ >= 1, "distributed: dimension must be at least 1, got {}", dim_);
  config_.validate(dim_);
  require(communicator_.workers() == config_.workers,
          "distributed: the config asks for {} workers but the {} communicator has {} (with MPI, "
          "launch with mpirun -np {})",
          config_.workers, communicator_.name(), communicator_.workers(), config_.workers);
  require(threads_ >= 1, "distributed: threads must be at least 1, got {}", threads_);

  compressor_ = make_compressor(config_.compressor, dim_);
  aggregator_ = make_aggregator(config_.aggregator, config_.compressor, key);
  messages_ = MessageBuffer(config_.workers, compressor_->message_words());
  for (Index i = 0; i < communicator_.local_workers(); ++i) {
    const Index id = communicator_.first_local_worker() + i;
    auto w = std::make_unique<Worker>(id, config_.error_feedback, dim_, key);
    if (config_.worker_momentum > 0.0) w->momentum = Vector::Zero(dim_);
    w->adversary = config_.faults.is_adversary(id, config_.workers);
    workers_.push_back(std::move(w));
  }
}

DistributedStep::~DistributedStep() = default;

void DistributedStep::run_worker(Worker& w, const Vector& gradient, double step_size) {
  // `u` points at the vector to compress; copies are made only when a stage changes it (at
  // d = 10^7 each needless copy costs as much as packing the signs).
  const Vector* u = &gradient;
  if (config_.worker_momentum > 0.0) {
    const double beta = config_.worker_momentum;
    w.momentum = beta * w.momentum + (1.0 - beta) * gradient;
    u = &w.momentum;
  }
  if (config_.step_size_on_worker || w.adversary) {
    w.sent = *u;
    if (config_.step_size_on_worker) w.sent *= step_size;
    if (w.adversary) apply_fault(config_.faults, w.fault_rng, w.sent);
    u = &w.sent;
  }
  const auto slot = messages_.slot(w.id);
  if (w.memory.kind() == ErrorFeedbackKind::None) {
    compressor_->encode(*u, w.compressor_rng, slot);
    return;
  }
  w.memory.correct(*u, w.corrected);
  compressor_->encode(w.corrected, w.compressor_rng, slot);
  compressor_->decode(slot, w.decoded);
  w.memory.update(w.corrected, w.decoded);
}

StepBits DistributedStep::step(Vector& x, std::span<const Vector> local_gradients,
                               double step_size) {
  require(x.size() == dim_, "distributed step: x has {} coordinates, expected {}", x.size(), dim_);
  require(static_cast<Index>(local_gradients.size()) == local_workers(),
          "distributed step: got {} gradients for {} local workers", local_gradients.size(),
          local_workers());
  for (const Vector& g : local_gradients)
    require(g.size() == dim_, "distributed step: a gradient has {} coordinates, expected {}",
            g.size(), dim_);

  const auto n = workers_.size();
  const auto threads = std::min<std::size_t>(static_cast<std::size_t>(threads_), n);
  if (threads <= 1) {
    for (std::size_t i = 0; i < n; ++i) run_worker(*workers_[i], local_gradients[i], step_size);
  } else {
    // Workers are independent (own state, own stream, own message slot), so any split gives
    // the same result.
    std::vector<std::exception_ptr> errors(threads);
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        try {
          for (std::size_t i = t; i < n; i += threads)
            run_worker(*workers_[i], local_gradients[i], step_size);
        } catch (...) {
          errors[t] = std::current_exception();
        }
      });
    }
    for (auto& th : pool) th.join();
    for (auto& e : errors)
      if (e) std::rethrow_exception(e);
  }

  communicator_.allgather(messages_);
  const double server_step = config_.step_size_on_worker ? 1.0 : step_size;
  aggregator_->apply(messages_, *compressor_, server_step, x, aggregate_);
  aggregate_pending_ = config_.aggregator == AggregatorKind::MajorityVote;

  last_ = {compressor_->message_bits(), aggregator_->last_downlink_bits()};
  total_.uplink += last_.uplink;
  total_.downlink += last_.downlink;
  ++steps_;
  return last_;
}

const Vector& DistributedStep::last_aggregate() const {
  if (aggregate_pending_) {
    const auto& vote = static_cast<const MajorityVoteAggregator&>(*aggregator_).packed_majority();
    aggregate_.resize(dim_);
    unpack_signs(vote, aggregate_);
    aggregate_pending_ = false;
  }
  return aggregate_;
}

const Vector& DistributedStep::worker_momentum(Index local) const {
  require(local >= 0 && local < static_cast<Index>(workers_.size()), "no local worker {}", local);
  return workers_[static_cast<std::size_t>(local)]->momentum;
}

const Vector& DistributedStep::worker_residual(Index local) const {
  require(local >= 0 && local < static_cast<Index>(workers_.size()), "no local worker {}", local);
  return workers_[static_cast<std::size_t>(local)]->memory.residual();
}

}  // namespace signopt
