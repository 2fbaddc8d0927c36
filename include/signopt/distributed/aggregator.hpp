#pragma once
// Aggregators: what the server (or, with allgather, every process) makes of the M messages.
//   mean          — direction = (1/M) Σ_j decode(message_j), summed in worker order j = 0..M−1
//                   so the floating-point result is the same on every communicator. With the
//                   scaled-sign compressor this is the scaled-sign mean of EF-SignSGD.
//                   Downlink: the mean as d floats of the compressor's value format.
//   majority-vote — direction = sign(Σ_j s_j) from the packed messages (majority_vote.hpp;
//                   tie → +1). Needs the sign compressor. Downlink: d bits.
// The downlink is counted as if a parameter server broadcast the aggregate to each worker.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "signopt/core/types.hpp"
#include "signopt/distributed/communicator.hpp"
#include "signopt/distributed/compressor.hpp"

namespace signopt {

enum class AggregatorKind { Mean, MajorityVote };
std::string to_string(AggregatorKind k);
AggregatorKind aggregator_from_string(const std::string& name);  // "mean" | "majority-vote"

class Aggregator {
 public:
  virtual ~Aggregator() = default;
  virtual AggregatorKind kind() const = 0;
  // direction (resized to d) from every worker's message.
  virtual void aggregate(const MessageBuffer& messages, const Compressor& compressor,
                         Vector& direction) = 0;
  // x ← x − step · a. The default aggregates into `direction` (left holding a); majority vote
  // overrides it to update x straight from the packed vote in one pass and leaves `direction`
  // untouched (unpack packed_majority() when a is needed).
  virtual void apply(const MessageBuffer& messages, const Compressor& compressor, double step,
                     Vector& x, Vector& direction);
  // Bits the server sends to each worker per step.
  virtual std::uint64_t downlink_bits(const CompressorSpec& spec, Index d) const = 0;
};

class MeanAggregator final : public Aggregator {
 public:
  AggregatorKind kind() const override { return AggregatorKind::Mean; }
  void aggregate(const MessageBuffer& messages, const Compressor& compressor,
                 Vector& direction) override;
  std::uint64_t downlink_bits(const CompressorSpec& spec, Index d) const override;
};

class MajorityVoteAggregator final : public Aggregator {
 public:
  AggregatorKind kind() const override { return AggregatorKind::MajorityVote; }
  void aggregate(const MessageBuffer& messages, const Compressor& compressor,
                 Vector& direction) override;
  void apply(const MessageBuffer& messages, const Compressor& compressor, double step, Vector& x,
             Vector& direction) override;
  std::uint64_t downlink_bits(const CompressorSpec& spec, Index d) const override;
  // The packed majority of the last aggregate() (bit 1 = −1).
  const std::vector<std::uint64_t>& packed_majority() const { return majority_; }

 private:
  void vote(const MessageBuffer& messages, const Compressor& compressor);
  std::vector<std::uint64_t> majority_;
  std::uint64_t votes_ = 0;  // votes so far: keys the tie-breaking bits
};

std::unique_ptr<Aggregator> make_aggregator(AggregatorKind kind);

}  // namespace signopt
