// The pure half of top_json() and stats_json(): /proc texts and cgroup figures turned into the
// documents of docs/api.md.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/cgroups.hpp"

namespace berth::daemon {

struct ProcTexts {
    pid_t pid = 0;
    std::string status, cmdline, comm;  // /proc/<pid>/{status,cmdline,comm}
};

// Titles UID PID PPID CPID CMD, as `docker top` shows them plus the pid inside the container.
std::vector<std::string> top_titles();
std::vector<std::string> top_row(const ProcTexts& p);
std::string top_document(const std::vector<ProcTexts>& procs);

// CPU use between two samples in percent of one CPU (200 = two CPUs busy), as `docker stats`.
double cpu_percent(std::uint64_t cpu_before_ns, std::uint64_t cpu_after_ns, std::int64_t wall_ns);
std::string stats_document(const engine::CgroupStats& s, double cpu);

}  // namespace berth::daemon
