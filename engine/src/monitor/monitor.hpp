// berth-monitor: one per container, like conmon. It is the parent of the container's PID 1, owns
// its stdout/stderr (or pty) and stdin, writes the log, and records the exit. It runs detached
// (setsid, double fork by berth-ctr) so that nothing that happens to its starter reaches it.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "attach_socket.hpp"
#include "engine/cgroups.hpp"
#include "engine/container_log.hpp"
#include "engine/container_state.hpp"
#include "engine/create_options.hpp"

namespace berth::engine::monitor {

// The container's side of its stdio and ours; -1 where unused.
struct Pipes {
    int out_read = -1, out_write = -1;
    int err_read = -1, err_write = -1;
    int in_read = -1, in_write = -1;
    int pty_master = -1;  // with --tty: output and input both go through it
};

struct Monitor {
    ContainerPaths paths;
    std::string id;
    CreateOptions options;
    std::unique_ptr<CgroupManager> cgroups;
    std::unique_ptr<Cgroup> cgroup;  // null when the machine offers no cgroups and none are asked
    Pipes pipes;
    int signal_fd = -1;
    pid_t pid = -1;
    std::unique_ptr<LogWriter> log;
    AttachServer attach;
};

// Everything up to a running PID 1: options, signals, pipes, log, attach socket, cgroup, launch,
// the state file. On failure nothing of the container is left (cgroup destroyed, PID 1 reaped;
// its mounts lived in its own mount namespace). Warnings go to `warnings`.
Result<void> start_container(Monitor& m, std::vector<std::string>& warnings);

// Relays output to the log until PID 1 has exited and its output is drained, then writes the
// exit record and removes the cgroup. Returns the monitor's exit status.
int run_until_exit(Monitor& m);

}  // namespace berth::engine::monitor
