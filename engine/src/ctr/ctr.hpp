// berth-ctr's view of the container folders under --root: loading a container, its status, and
// the operations behind each verb. Single-threaded by design (exec needs setns into mount and pid
// namespaces).
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "engine/cgroups.hpp"
#include "engine/container_state.hpp"
#include "engine/create_options.hpp"

namespace berth::engine::ctr {

enum class Status { Created, Running, Paused, Exited };
const char* status_name(Status s);

struct Container {
    std::string id;
    ContainerPaths paths;
    CreateOptions options;
    std::optional<ContainerState> state;  // once started
    std::optional<ExitRecord> exit;       // once it has exited (cleared by start)
    bool monitor_alive = false;
    Status status = Status::Created;
};

// An exclusive flock(2) on the container's folder for the verbs that change it (start, stop, rm),
// so that two of them at once (two `start`s spawning two monitors) run one after the other.
// Released when the object goes.
class FolderLock {
  public:
    explicit FolderLock(const std::string& dir);
    ~FolderLock();
    FolderLock(const FolderLock&) = delete;
    FolderLock& operator=(const FolderLock&) = delete;

  private:
    int fd_ = -1;
};

// Ids become folder and cgroup names: letters, digits, '_', '.', '-', not starting with a
// punctuation mark, at most 64 characters.
Result<void> validate_id(const std::string& id);

Result<Container> load(const std::string& root, const std::string& id);
std::vector<std::string> list_ids(const std::string& root);

// The container's cgroup, when the machine has cgroups and the container one.
Result<std::unique_ptr<Cgroup>> open_cgroup(const Container& c);

// A pidfd of the monitor, checked against its start time after opening so that a reused pid is
// never taken for it; -1 when the monitor is gone.
int open_monitor_pidfd(const Container& c);
// Waits until the monitor exits; timeout < 0 waits for ever. True when it has exited.
bool wait_monitor(int pidfd, double timeout_seconds);

// Sends sig to PID 1 (after the pid-reuse check).
Result<void> signal_pid1(const Container& c, int sig);

// The verbs. `out` receives what the verb prints on stdout.
Result<void> create(const std::string& root, const std::string& id,
                    const std::vector<std::string>& args);
Result<void> start(const std::string& root, const std::string& id);
Result<void> stop(const std::string& root, const std::string& id, std::optional<double> timeout,
                  std::string& out);
Result<void> kill(const std::string& root, const std::string& id, const std::string& signal);
Result<void> pause(const std::string& root, const std::string& id, bool freeze);
Result<void> wait(const std::string& root, const std::string& id, std::string& out);
Result<void> remove(const std::string& root, const std::string& id, bool force);
Result<void> ps(const std::string& root, std::string& out);
Result<void> inspect(const std::string& root, const std::string& id, std::string& out);
Result<void> logs(const std::string& root, const std::string& id, std::string& out);
Result<void> stats(const std::string& root, const std::string& id, std::string& out);
Result<void> top(const std::string& root, const std::string& id, std::string& out);

struct ExecOptions {
    std::vector<std::string> env;  // K=V, added to (and overriding) the container's
    std::optional<std::string> user;
    std::optional<std::string> cwd;
    bool detach = false;
    bool tty = false;
    std::vector<std::string> args;
};
// Returns the command's exit status (0 with detach).
Result<int> exec(const std::string& root, const std::string& id, const ExecOptions& opts);

}  // namespace berth::engine::ctr
