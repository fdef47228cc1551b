// Running one berth-ctr process from the multi-threaded daemon: posix_spawn with exactly the fds
// given (every other fd of berthd stays out of the child, whatever its CLOEXEC flag), so a
// container's monitor never inherits a client socket or the state database.
#pragma once

#include <sys/types.h>

#include <array>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace berth::daemon {

struct CtrOutput {
    int status = 0;  // exit status, or 128 + signal
    std::string out, err;
};

// Runs binary with args, stdin /dev/null, stdout and stderr captured; waits for it.
Result<CtrOutput> run_captured(const std::string& binary, const std::vector<std::string>& args);

// Runs binary with args on the given fds as its 0, 1 and 2; waits for it; its exit status.
Result<int> run_with_stdio(const std::string& binary, const std::vector<std::string>& args,
                           const std::array<int, 3>& stdio);

// The message berth-ctr printed on failure, for an Error: its stderr without the trailing newline,
// or the exit status when it printed nothing.
std::string failure_message(const CtrOutput& out);

}  // namespace berth::daemon
