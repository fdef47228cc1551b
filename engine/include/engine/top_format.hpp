// `top` output: one line per process of the container's cgroup, with its pid on the host and in
// the container's pid namespace.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

namespace berth::engine {

inline constexpr const char* kTopHeader = "PID CPID CMD";

// The innermost pid of the NSpid: line of /proc/<pid>/status ("NSpid:\t4242\t1" -> 1).
std::optional<pid_t> innermost_pid(std::string_view status);

// /proc/<pid>/cmdline (NUL-separated) as one line; a kernel thread or zombie has an empty
// cmdline, shown as [comm] like ps does.
std::string command_text(std::string_view cmdline, std::string_view comm);

// "4242 1 sleep 100"; cpid 0 when unknown is printed as "-".
std::string format_top_line(pid_t pid, std::optional<pid_t> cpid, const std::string& cmd);

}  // namespace berth::engine
