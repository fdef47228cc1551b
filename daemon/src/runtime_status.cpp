// Status, listing and waiting, read in-process from the container folders: `ps` over hundreds of
// containers costs file reads, not hundreds of processes.
#include <unistd.h>

#include "daemon/runtime.hpp"
#include "engine/ctr_store.hpp"

namespace berth::daemon {
namespace {

namespace ctr = engine::ctr;

ContainerRunState run_state(ctr::Status s) {
    switch (s) {
        case ctr::Status::Created:
            return ContainerRunState::Created;
        case ctr::Status::Running:
            return ContainerRunState::Running;
        case ctr::Status::Paused:
            return ContainerRunState::Paused;
        case ctr::Status::Exited:
            return ContainerRunState::Exited;
    }
    return ContainerRunState::Dead;
}

ContainerStatus status_of(const ctr::Container& c) {
    ContainerStatus s;
    s.state = run_state(c.status);
    const bool live = c.status == ctr::Status::Running || c.status == ctr::Status::Paused;
    if (live && c.state) s.pid = c.state->pid;
    if (c.exit) {
        s.exit_code = c.exit->exit_code;
        s.oom_killed = c.exit->oom_killed;
        s.finished_at = c.exit->finished_at;
        s.killed_after_timeout = c.exit->killed_after_timeout;
    } else if (c.status == ctr::Status::Exited) {
        s.exit_code = -1;  // its monitor died without recording how PID 1 ended
    }
    if (c.state) s.started_at = c.state->started_at;
    return s;
}

}  // namespace

Result<ContainerStatus> Runtime::status(const std::string& id) const {
    auto c = ctr::load_status(config_.root, id);
    if (!c) return c.error();
    return status_of(*c);
}

std::vector<std::string> Runtime::list_ids() const {
    return ctr::list_ids(config_.root);
}

Result<int> Runtime::wait(const std::string& id) const {
    auto c = ctr::load(config_.root, id);
    if (!c) return c.error().context("wait");
    if (c->status == ctr::Status::Created) {
        return Error("wait: container " + id + " has not been started");
    }
    // The monitor exits right after it has written the exit record.
    int pidfd = ctr::open_monitor_pidfd(*c);
    ctr::wait_monitor(pidfd, -1);
    if (pidfd >= 0) close(pidfd);
    auto done = ctr::load(config_.root, id);
    if (!done) return done.error().context("wait");
    return done->exit ? done->exit->exit_code : -1;
}

}  // namespace berth::daemon
