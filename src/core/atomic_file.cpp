#include "signopt/core/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>

#include "signopt/core/error.hpp"
#include "signopt/core/written_files.hpp"

namespace signopt {
namespace {

// Flushes a file (or directory) to the disk: a rename must never publish a name whose content
// a power cut could still lose.
bool sync_to_disk(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ostream&)>& write) {
  namespace fs = std::filesystem;
  if (path.has_parent_path()) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    require(!ec, "cannot create directory {}: {}", path.parent_path().string(), ec.message());
  }
  announce_written_file(path);  // before the temporary file exists: see written_files.hpp
  const fs::path tmp = path.string() + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    require(static_cast<bool>(out), "cannot open {} for writing", tmp.string());
    try {
      write(out);
    } catch (...) {
      out.close();
      fs::remove(tmp);
      throw;
    }
    out.flush();
    if (!out) {
      out.close();
      fs::remove(tmp);
      fail("write to {} failed (disk full?)", tmp.string());
    }
  }
  if (!sync_to_disk(tmp)) {
    fs::remove(tmp);
    fail("cannot flush {} to the disk", tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp);
    fail("cannot rename {} to {}: {}", tmp.string(), path.string(), ec.message());
  }
  // The rename itself is durable once the directory is synced (best effort: some file systems
  // refuse fsync on a directory).
  (void)sync_to_disk(path.has_parent_path() ? path.parent_path() : fs::path("."));
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  write_file_atomically(path, [&](std::ostream& out) { out.write(content.data(), static_cast<std::streamsize>(content.size())); });
}

}  // namespace signopt
