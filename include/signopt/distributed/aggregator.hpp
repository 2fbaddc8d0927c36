#pragma once
// Aggregators: what the server (or, with allgather, every process) makes of the M messages.
//   mean          — direction = (1/M) Σ_j decode(message_j), summed in worker order j = 0..M−1
//                   so the floating-point result is the same on every communicator. With the
//                   scaled-sign compressor this is the scaled-sign mean of EF-SignSGD.
//   majority-vote — direction = sign(Σ_j s_j) from the packed messages (majority_vote.hpp).
//                   Needs the sign compressor. Ties (even M) get pseudo-random bits drawn from
//                   the run's seed (the StreamKey), the same on every process.
//
// Downlink bits: the parameter-server model. The server re-encodes the aggregate and broadcasts
// it; each worker receives that encoding once per step (it does not receive the other workers'
// messages). Counted as encoded, per worker per step (b = bits of the compressor's value
// format, 32 for fp32 and 64 for fp64; ⌈log₂ n⌉ written lg n):
//   majority-vote                    d            (the vote is ±1: one bit per coordinate)
//   mean of identity, scaled-sign,   d·b          (the mean is a dense real vector)
//        QSGD messages
//   mean of sign messages            d·lg(M+1)    (the count c of −1 votes per coordinate;
//                                                  the mean is (M − 2c)/M)
//   mean of top-k / rand-k messages  1 + min(d·b, lg(d+1) + n·(lg d + b))
//                                    with n the aggregate's nonzero coordinates this step
//                                    (n ≤ min(d, M·k)): a format bit, then either d dense
//                                    values or a count followed by n (index, value) pairs.
// So the sparse recipes' downlink depends on the step; every other one is constant.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "signopt/core/types.hpp"
#include "signopt/distributed/communicator.hpp"
#include "signopt/distributed/compressor.hpp"
#include "signopt/oracle/gradient_oracle.hpp"  // StreamKey

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
  // Bits the server sent to each worker for the last aggregate (0 before the first), as
  // encoded by the rule above.
  std::uint64_t last_downlink_bits() const { return downlink_bits_; }

 protected:
  std::uint64_t downlink_bits_ = 0;
};

class MeanAggregator final : public Aggregator {
 public:
  // `spec` is the workers' compressor: it decides how the mean is encoded for the downlink.
  explicit MeanAggregator(const CompressorSpec& spec) : spec_(spec) {}
  AggregatorKind kind() const override { return AggregatorKind::Mean; }
  void aggregate(const MessageBuffer& messages, const Compressor& compressor,
                 Vector& direction) override;

 private:
  CompressorSpec spec_;
};

class MajorityVoteAggregator final : public Aggregator {
 public:
  // The tie-breaking bits of vote t are keyed by (tie_seed, t): the same on every process
  // that builds the aggregator from the same seed, different for another seed.
  explicit MajorityVoteAggregator(std::uint64_t tie_seed) : tie_seed_(tie_seed) {}
  AggregatorKind kind() const override { return AggregatorKind::MajorityVote; }
  void aggregate(const MessageBuffer& messages, const Compressor& compressor,
                 Vector& direction) override;
  void apply(const MessageBuffer& messages, const Compressor& compressor, double step, Vector& x,
             Vector& direction) override;
  // The packed majority of the last aggregate() (bit 1 = −1).
  const std::vector<std::uint64_t>& packed_majority() const { return majority_; }

 private:
  void vote(const MessageBuffer& messages, const Compressor& compressor);
  std::uint64_t tie_seed_;
  std::vector<std::uint64_t> majority_;
  std::uint64_t votes_ = 0;  // votes so far: with tie_seed_, keys the tie-breaking bits
};

// The tie seed of a run: derived from its experiment and run seeds (not the worker, so that
// every process of the run gets the same one).
std::uint64_t majority_tie_seed(const StreamKey& run);

// `spec` is the workers' compressor; `run` the run's streams (majority vote's tie bits).
std::unique_ptr<Aggregator> make_aggregator(AggregatorKind kind, const CompressorSpec& spec,
                                            const StreamKey& run);

}  // namespace signopt
