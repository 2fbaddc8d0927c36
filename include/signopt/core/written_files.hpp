#pragma once
// Every file signopt creates is announced here, before it exists. An output directory
// (signopt/experiment/output_directory.hpp) listens and lists the files inside it, so a later
// run deletes exactly what signopt wrote and never a file of the user's.
#include <cstddef>
#include <filesystem>
#include <functional>

namespace signopt {

using WrittenFileListener = std::function<void(const std::filesystem::path&)>;

// Tells every listener that `path` is about to be written (thread-safe).
void announce_written_file(const std::filesystem::path& path);

// Adds a listener until the returned handle is destroyed.
class WrittenFileSubscription {
 public:
  explicit WrittenFileSubscription(WrittenFileListener listener);
  ~WrittenFileSubscription();
  WrittenFileSubscription(const WrittenFileSubscription&) = delete;
  WrittenFileSubscription& operator=(const WrittenFileSubscription&) = delete;

 private:
  std::size_t id_;
};

}  // namespace signopt
