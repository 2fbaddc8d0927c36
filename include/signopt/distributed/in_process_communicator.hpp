#pragma once
// All M workers simulated in one process: the "collective" is the shared buffer itself.
#include "signopt/distributed/communicator.hpp"

namespace signopt {

class InProcessCommunicator final : public Communicator {
 public:
  explicit InProcessCommunicator(Index workers);

  std::string name() const override { return "in-process"; }
  Index workers() const override { return workers_; }
  Index first_local_worker() const override { return 0; }
  Index local_workers() const override { return workers_; }
  // One process cannot disagree with itself.
  void require_same_setup(std::uint64_t, const std::string&) override {}
  void allgather(MessageBuffer& buffer) override;

 private:
  Index workers_;
};

}  // namespace signopt
