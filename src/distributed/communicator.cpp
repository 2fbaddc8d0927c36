#include "signopt/distributed/communicator.hpp"

#include "signopt/core/error.hpp"

namespace signopt {

MessageBuffer::MessageBuffer(Index workers, Index words_per_worker)
    : workers_(workers), words_per_worker_(words_per_worker) {
  require(workers >= 1 && words_per_worker >= 1,
          "message buffer needs at least one worker and one word (got {} × {})", workers,
          words_per_worker);
  words_.assign(static_cast<std::size_t>(workers * words_per_worker), 0);
}

std::span<std::uint64_t> MessageBuffer::slot(Index worker) {
  return std::span<std::uint64_t>(words_).subspan(
      static_cast<std::size_t>(worker * words_per_worker_),
      static_cast<std::size_t>(words_per_worker_));
}

std::span<const std::uint64_t> MessageBuffer::slot(Index worker) const {
  return std::span<const std::uint64_t>(words_).subspan(
      static_cast<std::size_t>(worker * words_per_worker_),
      static_cast<std::size_t>(words_per_worker_));
}

}  // namespace signopt
