#include "signopt/distributed/in_process_communicator.hpp"

#include "signopt/core/error.hpp"

namespace signopt {

InProcessCommunicator::InProcessCommunicator(Index workers) : workers_(workers) {
  require(workers >= 1, "the number of workers must be at least 1, got {}", workers);
}

void InProcessCommunicator::allgather(MessageBuffer& buffer) {
  require(buffer.workers() == workers_, "message buffer has {} slots for {} workers",
          buffer.workers(), workers_);
}

}  // namespace signopt
