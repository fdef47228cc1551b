// What berth keeps per container in its folder (<root>/<id>/): the create options, the state
// written when it starts, and the exit record berth-monitor writes when it ends. Any process (a
// new berth-ctr, a restarted daemon) re-adopts a container from these files.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace berth::engine {

struct ContainerPaths {
    static constexpr const char* kConfig = "config.json";
    static constexpr const char* kState = "state.json";
    static constexpr const char* kExit = "exit.json";

    std::string dir;  // <root>/<id>
    std::string config() const { return dir + "/" + kConfig; }
    std::string state() const { return dir + "/" + kState; }
    std::string exit_record() const { return dir + "/" + kExit; }
    std::string log() const { return dir + "/ctr.log"; }
    std::string attach() const { return dir + "/attach.sock"; }
    // Created by `stop` just before it sends SIGKILL, read by the monitor for the exit record.
    std::string killed_marker() const { return dir + "/killed-after-timeout"; }
};

// Written by berth-monitor once PID 1 runs.
struct ContainerState {
    std::string id;
    pid_t pid = 0;                // the container's PID 1 on the host
    std::uint64_t pid_start = 0;  // its start time (/proc/<pid>/stat field 22), vs pid reuse
    pid_t monitor_pid = 0;
    std::uint64_t monitor_start = 0;
    std::string started_at;  // RFC 3339
    std::uint64_t caps = 0;  // the capability mask PID 1 got; exec gives the same
    std::string cgroup;      // path relative to the hierarchy roots, empty without one
};

struct ExitRecord {
    int exit_code = 0;  // 128 + signal when killed by one
    std::string finished_at;
    bool oom_killed = false;
    bool killed_after_timeout = false;
};

std::string encode_state(const ContainerState& s);
Result<ContainerState> decode_state(std::string_view text);
std::string encode_exit(const ExitRecord& e);
Result<ExitRecord> decode_exit(std::string_view text);

// The create command line (options and command), kept as given so the monitor re-parses it with
// the same code as `create`.
std::string encode_config(const std::vector<std::string>& create_args);
Result<std::vector<std::string>> decode_config(std::string_view text);

// Writes path through a temporary file and rename(2), so a reader sees the old or the new
// content and never half of it, even if the writer is killed.
Result<void> write_file_atomic(const std::string& path, const std::string& text);

// The whole file with plain read(2) (procfs files report size 0; no iostreams in the monitor).
Result<std::string> read_text_file(const std::string& path);
// The same for `name` inside an open folder: a status read of hundreds of containers walks each
// long container path once, not once per file.
Result<std::string> read_text_file_at(int dir_fd, const char* name);

// Field 22 (starttime, in clock ticks since boot) of a /proc/<pid>/stat text; the command name in
// field 2 may hold spaces and parentheses, so fields are counted after its last ')'.
std::optional<std::uint64_t> parse_stat_start_time(std::string_view stat);
// The live value for pid; nullopt when it does not exist.
std::optional<std::uint64_t> process_start_time(pid_t pid);
// pid still names the process that had this start time.
bool same_process(pid_t pid, std::uint64_t start_time);

}  // namespace berth::engine
