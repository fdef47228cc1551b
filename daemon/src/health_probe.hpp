// One healthcheck probe: the test run by exec in the container with a pipe as its stdout and
// stderr, and what a probe that outlives its timeout leaves behind ended.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "common/result.hpp"
#include "daemon/runtime.hpp"
#include "scheduler/health.hpp"

namespace berth::daemon {

// The read and write ends of a probe's output pipe, and the pipe's inode, which names the
// processes writing into it.
struct ProbePipe {
    int read_fd = -1, write_fd = -1;
    ino_t inode = 0;
};
Result<ProbePipe> open_probe_pipe();

// Runs argv in the container on the pipe (closing both ends when done); the result with the first
// kHealthMaxOutput bytes of output. A container that is not running is an error; a command that
// cannot be run is a failed probe, as Docker reports it.
Result<scheduler::ProbeResult> run_probe(const Runtime& runtime, const std::string& id,
                                         const std::vector<std::string>& argv, ProbePipe pipe);

// SIGKILLs every process whose stdout is the pipe: the berth-ctr exec and the probe inside the
// container (berthd sees every pid namespace's processes from its own).
void kill_pipe_writers(ino_t inode);

}  // namespace berth::daemon
