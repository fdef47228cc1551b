// File-system building blocks of the store: lock files, atomic writes, private temp dirs and
// tree removal. Internal to images/.
#pragma once

#include <string>

#include "common/result.hpp"

namespace berth::images::fsx {

// An flock(2) on a lock file, released on destruction (and by the kernel if the process dies,
// so a crash never leaves a stale lock).
class Lock {
  public:
    Lock() = default;
    Lock(Lock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
    Lock& operator=(Lock&& o) noexcept;
    ~Lock();
    static Result<Lock> take(const std::string& path, bool exclusive);

  private:
    int fd_ = -1;
};

Result<void> mkdirs(const std::string& path, unsigned mode = 0755);
// Writes to PATH.tmp-PID, fsyncs, renames over PATH: readers see the old or the new file.
Result<void> write_atomic(const std::string& path, const std::string& data);
// A new empty directory PREFIX-XXXXXX.
Result<std::string> make_temp_dir(const std::string& prefix);
// rm -rf that never crosses into another file system and never follows symlinks.
Result<void> remove_tree(const std::string& path);
bool exists(const std::string& path);
Result<uint64_t> tree_size(const std::string& path);

}  // namespace berth::images::fsx
