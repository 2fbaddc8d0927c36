#include "signopt/distributed/aggregator.hpp"

#include <algorithm>

#include "signopt/core/error.hpp"
#include "signopt/core/rng.hpp"
#include "signopt/distributed/bit_packing.hpp"
#include "signopt/distributed/bit_stream.hpp"
#include "signopt/distributed/majority_vote.hpp"

namespace signopt {

std::string to_string(AggregatorKind k) {
  return k == AggregatorKind::Mean ? "mean" : "majority-vote";
}

AggregatorKind aggregator_from_string(const std::string& name) {
  if (name == "mean") return AggregatorKind::Mean;
  if (name == "majority-vote") return AggregatorKind::MajorityVote;
  fail("unknown aggregator '{}' (valid: mean, majority-vote)", name);
}

void Aggregator::apply(const MessageBuffer& messages, const Compressor& compressor, double step,
                       Vector& x, Vector& direction) {
  aggregate(messages, compressor, direction);
  x -= step * direction;
}

namespace {

std::uint64_t mean_broadcast_bits(const CompressorSpec& spec, const Vector& mean, Index workers) {
  const auto d = static_cast<std::uint64_t>(mean.size());
  const auto value_bits = static_cast<std::uint64_t>(float_bits(spec.values));
  switch (spec.kind) {
    case CompressorKind::Sign:
      return d *
             static_cast<std::uint64_t>(bits_for_count(static_cast<std::uint64_t>(workers) + 1));
    case CompressorKind::TopK:
    case CompressorKind::RandK: {
      const auto nonzero = static_cast<std::uint64_t>((mean.array() != 0.0).count());
      const auto index_bits = static_cast<std::uint64_t>(bits_for_count(d));
      const auto sparse =
          static_cast<std::uint64_t>(bits_for_count(d + 1)) + nonzero * (index_bits + value_bits);
      return 1 + std::min(d * value_bits, sparse);
    }
    case CompressorKind::Identity:
    case CompressorKind::ScaledSign:
    case CompressorKind::Qsgd:
      break;
  }
  return d * value_bits;
}

}  // namespace

void MeanAggregator::aggregate(const MessageBuffer& messages, const Compressor& compressor,
                               Vector& direction) {
  direction.setZero(compressor.dim());
  for (Index j = 0; j < messages.workers(); ++j)
    compressor.decode_add(messages.slot(j), 1.0, direction);
  direction /= static_cast<double>(messages.workers());
  downlink_bits_ = mean_broadcast_bits(spec_, direction, messages.workers());
}

void MajorityVoteAggregator::vote(const MessageBuffer& messages, const Compressor& compressor) {
  require(compressor.packed_sign_message(),
          "majority vote needs 1-bit sign messages, but the compressor is {}",
          compressor.describe());
  const Index words = packed_word_count(compressor.dim());
  majority_.resize(static_cast<std::size_t>(words));
  // Ties (even M) are broken by bits keyed by the run's seed and the vote's sequence number
  // only, so every process of the run (and the simulation) breaks them alike.
  const std::uint64_t tie_key = mix64(tie_seed_ ^ mix64(votes_++));
  majority_vote_packed({messages.all(), messages.workers(), words, messages.words_per_worker()},
                       majority_, &tie_key);
  downlink_bits_ = static_cast<std::uint64_t>(compressor.dim());
}

void MajorityVoteAggregator::aggregate(const MessageBuffer& messages, const Compressor& compressor,
                                       Vector& direction) {
  vote(messages, compressor);
  direction.resize(compressor.dim());
  unpack_signs(majority_, direction);
}

void MajorityVoteAggregator::apply(const MessageBuffer& messages, const Compressor& compressor,
                                   double step, Vector& x, Vector& /*direction*/) {
  vote(messages, compressor);
  // x_i + (−step)·(±1) is exactly x_i − step·(±1): the same bits as the two-pass update.
  add_scaled_signs(majority_, -step,
                   std::span<double>(x.data(), static_cast<std::size_t>(x.size())));
}

std::uint64_t majority_tie_seed(const StreamKey& run) {
  std::uint64_t h = stream_tag("majority-tie");
  for (std::uint64_t k : {run.experiment_seed, run.run_seed}) h = mix64(h ^ mix64(k));
  return h;
}

std::unique_ptr<Aggregator> make_aggregator(AggregatorKind kind, const CompressorSpec& spec,
                                            const StreamKey& run) {
  if (kind == AggregatorKind::MajorityVote)
    return std::make_unique<MajorityVoteAggregator>(majority_tie_seed(run));
  return std::make_unique<MeanAggregator>(spec);
}

}  // namespace signopt
