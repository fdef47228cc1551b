// File access shared by the v1 and v2 backends: reading and writing interface files with errors
// that name the file and value, listing member pids, device numbers, and teardown.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace berth::engine::cgroup {

// Teardown keeps going after a failure; this gathers what went wrong along the way.
class Errors {
  public:
    void add(const Error& e) { errors_.push_back(e); }
    void add(const Result<void>& r) {
        if (!r) add(r.error());
    }
    bool empty() const { return errors_.empty(); }
    // One Error holding every message, joined by "; ", with the first errno; `context` (if not
    // empty) prefixes them.
    Result<void> result(const std::string& context) const;

  private:
    std::vector<Error> errors_;
};

bool exists(const std::string& path);

// Writes `value` to an existing interface file (never creates one: a missing file means the
// controller is missing, and that must be an error, not a stray regular file).
Result<void> write_file(const std::string& path, const std::string& value);
// The file's text without the trailing newline.
Result<std::string> read_trimmed(const std::string& path);
Result<std::uint64_t> read_u64(const std::string& path);
// The value of `key` in a flat-keyed file ("oom_kill 3" lines: memory.events, cpu.stat).
Result<std::optional<std::uint64_t>> read_key(const std::string& path, const std::string& key);

// Pids in `dir`/cgroup.procs and, recursively, in every sub-cgroup.
Result<std::vector<pid_t>> read_procs(const std::string& dir);

// "8:0" for a block device path (from its st_rdev); a "MAJ:MIN" text is taken as it is.
Result<std::string> device_number(const std::string& device);

// mkdir that accepts an existing directory (a cgroup left by a crash is reused).
Result<void> make_dir(const std::string& path);

// SIGKILLs every process in `dir` and its sub-cgroups until cgroup.procs is empty everywhere or
// the deadline passes.
Result<void> kill_all(const std::string& dir, std::chrono::milliseconds deadline);

// rmdir of `dir`'s sub-cgroups depth-first, then of `dir`. A missing `dir` is success.
Result<void> remove_tree(const std::string& dir);

// Polls `check` every few ms until it says true or `deadline` passes.
template <typename F>
bool poll_until(F check, std::chrono::milliseconds deadline);

}  // namespace berth::engine::cgroup

#include <thread>

template <typename F>
bool berth::engine::cgroup::poll_until(F check, std::chrono::milliseconds deadline) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    for (auto delay = std::chrono::microseconds(200);;
         delay = std::min(delay * 2, decltype(delay)(20000))) {
        if (check()) return true;
        if (std::chrono::steady_clock::now() >= end) return false;
        std::this_thread::sleep_for(delay);
    }
}
