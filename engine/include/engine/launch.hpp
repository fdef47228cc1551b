// Starting a container: the clone/setup/exec sequence of runc and crun, done by berth itself.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "common/result.hpp"
#include "engine/spec.hpp"

namespace berth::engine {

// What the container's fds 0, 1 and 2 become; -1 keeps the caller's. Ignored with spec.tty.
struct Stdio {
    int in = -1;
    int out = -1;
    int err = -1;
};

struct Launched {
    pid_t pid = -1;                     // the container's PID 1, as seen from the caller
    std::vector<std::string> warnings;  // e.g. an rlimit clamped to the hard limit
    // With spec.tty: the master side of the terminal allocated inside the container's devpts
    // (its slave is the container's stdin/stdout/stderr and /dev/console). Owned by the caller.
    int pty_master = -1;
};

// Creates the namespaces and the root filesystem, applies the spec and execs args[0]. Returns once
// the exec has happened, or with the failing step, errno and path, e.g.
// "pivot_root /var/lib/berth/containers/x/merged: Invalid argument". A missing executable is an
// error naming it (and the container exits 127). The caller reaps `pid`.
//
// Must be called from a single-threaded process (berth-run, berth-monitor): clone() of a
// multi-threaded process cannot safely do anything but async-signal-safe calls, and setns into
// mount or user namespaces fails there.
Result<Launched> launch(const ContainerSpec& spec, const Stdio& stdio = {});

// The same, with the container's PID 1 placed in a cgroup first: the parent writes the child's pid
// into each of `cgroup_procs_files` (Cgroup::procs_files()) after clone and before the child is
// released, so no code of the container runs outside its limits. A failed write kills the child
// and is returned, e.g. `join cgroup /sys/fs/cgroup/cpuset/berth/x/cgroup.procs: No space left on
// device`. With a new cgroup namespace (spec.namespaces.cgroup) the child creates it only after
// the move, so its root is the container's cgroup.
Result<Launched> launch(const ContainerSpec& spec, const Stdio& stdio,
                        const std::vector<std::string>& cgroup_procs_files);

// The exit status a command-line tool reports for a launch error, as `docker run` does: 127 when
// the executable was not found, 126 when it could not be executed, 125 for any other failure.
int launch_failure_status(const Error& error);

}  // namespace berth::engine
