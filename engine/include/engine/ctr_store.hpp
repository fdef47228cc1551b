// The container folders under a root (<root>/<id>/, docs/engine.md "Monitor and lifecycle") read
// in-process: loading a container, deriving its status, and the monitor and PID 1 checks that
// guard against pid reuse. berth-ctr's verbs and berthd share this, so berthd answers `ps` and
// `logs` without starting a process.
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
// load() without parsing the stored create options (Container::options stays default): what a
// status needs, at a fraction of the cost.
Result<Container> load_status(const std::string& root, const std::string& id);
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

}  // namespace berth::engine::ctr
