// berthd's hands on containers: the engine's container folders (<data-root>/containers/<id>) read
// in-process, and every change made by a fresh `berth-ctr` process (the launch sequence and setns
// must run single-threaded, which berthd is not; see DESIGN.md, "Kernel facts").
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace berth::daemon {

struct RuntimeConfig {
    std::string ctr_binary;  // berth-ctr, next to berthd
    std::string root;        // <data-root>/containers
};

enum class ContainerRunState { Created, Running, Paused, Exited, Dead };
const char* to_string(ContainerRunState s);  // created, running, paused, exited, dead

struct ContainerStatus {
    ContainerRunState state = ContainerRunState::Created;
    pid_t pid = 0;  // PID 1 on the host when running
    int exit_code = 0;
    bool oom_killed = false;
    std::string started_at, finished_at;  // RFC 3339, "" when never
    bool killed_after_timeout = false;    // the last stop needed SIGKILL
};

// How a stop went: whether PID 1 had to be killed after its grace period, and the engine's words
// for it ("did not stop within 10s after SIGTERM").
struct StopOutcome {
    bool killed = false;
    std::string reason;
};

struct LogLine {
    std::string container_id;
    std::string stream;  // stdout, stderr
    std::int64_t time_nano = 0;
    std::string line;  // without the newline
};

struct LogQuery {
    bool follow = false;
    std::optional<std::size_t> tail;              // last N lines per container
    std::int64_t since_nano = 0, until_nano = 0;  // 0 = unbounded
};

struct ExecRequest {
    std::vector<std::string> cmd, env;
    std::string user, workdir;
    bool tty = false, detach = false;
};

// Reads berth-ctr stop's output.
StopOutcome stop_outcome(const std::string& ctr_output);

class Runtime {
  public:
    explicit Runtime(RuntimeConfig config);

    // `berth-ctr create ID ARGS...`: the folder, the config; nothing runs yet.
    Result<void> create(const std::string& id, const std::vector<std::string>& create_args) const;
    Result<void> start(const std::string& id) const;  // returns once PID 1 runs
    Result<StopOutcome> stop(const std::string& id, std::optional<double> timeout) const;
    Result<void> kill(const std::string& id, const std::string& signal) const;
    Result<void> pause(const std::string& id, bool freeze) const;
    // Stops (force) and removes the folder, cgroup, mounts; a missing container is not an error.
    Result<void> remove(const std::string& id, bool force) const;

    // In-process reads of the folder (no process started): fast enough for `ps` over hundreds.
    Result<ContainerStatus> status(const std::string& id) const;
    std::vector<std::string> list_ids() const;
    // Blocks until the container has exited; its exit code.
    Result<int> wait(const std::string& id) const;

    // Lines of several containers. Without follow: merged by time, then returns. With follow:
    // old lines (tail) then new ones as they come, until sink returns false or every container
    // has exited and its log is drained.
    Result<void> logs(const std::vector<std::string>& ids, const LogQuery& query,
                      const std::function<bool(const LogLine&)>& sink) const;

    // `berth-ctr exec` with the client's stdio (fds 0, 1, 2 as passed); the command's status.
    Result<int> exec(const std::string& id, const ExecRequest& request,
                     const std::vector<int>& stdio) const;
    // A started container's output to stdio[1]/stdio[2] and stdio[0] into its stdin, until it
    // exits; its exit code.
    Result<int> attach(const std::string& id, const std::vector<int>& stdio) const;

    Result<std::string> top_json(const std::string& id) const;    // {"Titles":..,"Processes":..}
    Result<std::string> stats_json(const std::string& id) const;  // see docs/api.md

  private:
    RuntimeConfig config_;
    Result<std::string> run_ctr(const std::vector<std::string>& args) const;
};

}  // namespace berth::daemon
