#include "signopt/core/written_files.hpp"

#include <map>
#include <mutex>

namespace signopt {
namespace {

struct Listeners {
  std::mutex mutex;
  std::map<std::size_t, WrittenFileListener> by_id;
  std::size_t next_id = 0;
};

Listeners& listeners() {
  static Listeners instance;
  return instance;
}

}  // namespace

void announce_written_file(const std::filesystem::path& path) {
  Listeners& l = listeners();
  // Held while the listeners run: runs finishing on several threads announce one at a time.
  std::lock_guard lock(l.mutex);
  for (const auto& [id, listener] : l.by_id) listener(path);
}

WrittenFileSubscription::WrittenFileSubscription(WrittenFileListener listener) {
  Listeners& l = listeners();
  std::lock_guard lock(l.mutex);
  id_ = l.next_id++;
  l.by_id.emplace(id_, std::move(listener));
}

WrittenFileSubscription::~WrittenFileSubscription() {
  Listeners& l = listeners();
  std::lock_guard lock(l.mutex);
  l.by_id.erase(id_);
}

}  // namespace signopt
