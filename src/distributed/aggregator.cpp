#include "signopt/distributed/aggregator.hpp"

#include "signopt/core/rng.hpp"

#include "signopt/core/error.hpp"
#include "signopt/distributed/bit_packing.hpp"
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

void MeanAggregator::aggregate(const MessageBuffer& messages, const Compressor& compressor,
                               Vector& direction) {
  direction.setZero(compressor.dim());
  for (Index j = 0; j < messages.workers(); ++j)
    compressor.decode_add(messages.slot(j), 1.0, direction);
  direction /= static_cast<double>(messages.workers());
}

std::uint64_t MeanAggregator::downlink_bits(const CompressorSpec& spec, Index d) const {
  return static_cast<std::uint64_t>(d) * static_cast<std::uint64_t>(float_bits(spec.values));
}

void MajorityVoteAggregator::vote(const MessageBuffer& messages, const Compressor& compressor) {
  require(compressor.packed_sign_message(),
          "majority vote needs 1-bit sign messages, but the compressor is {}",
          compressor.describe());
  const Index words = packed_word_count(compressor.dim());
  majority_.resize(static_cast<std::size_t>(words));
  // Ties (even M) are broken by bits that depend on the vote's sequence number only, so every
  // process (and the simulation) breaks them alike.
  const std::uint64_t tie_key = mix64(stream_tag("majority-tie") ^ votes_++);
  majority_vote_packed({messages.all(), messages.workers(), words, messages.words_per_worker()},
                       majority_, &tie_key);
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

std::uint64_t MajorityVoteAggregator::downlink_bits(const CompressorSpec&, Index d) const {
  return static_cast<std::uint64_t>(d);
}

std::unique_ptr<Aggregator> make_aggregator(AggregatorKind kind) {
  if (kind == AggregatorKind::MajorityVote) return std::make_unique<MajorityVoteAggregator>();
  return std::make_unique<MeanAggregator>();
}

}  // namespace signopt
