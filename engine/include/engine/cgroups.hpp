// cgroups: one interface over the v1 (one hierarchy per controller) and v2 (unified) layouts, so
// that the rest of berth never cares which one the machine has.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace berth::engine {

struct DeviceWeight {
    std::string device;  // a block device path, e.g. /dev/sda
    std::uint16_t weight = 0;
};

struct DeviceRate {
    std::string device;
    std::uint64_t rate = 0;  // bytes/s for bps, operations/s for iops
};

// Limits in plain units; the compose forms (cpus: 0.5, mem_limit: 32m) are converted by the caller.
struct Resources {
    std::optional<std::int64_t> memory;              // bytes
    std::optional<std::int64_t> memory_reservation;  // bytes (soft limit / memory.low)
    std::optional<std::int64_t> memory_swap;         // memory + swap in bytes; -1 unlimited
    std::optional<std::int64_t> cpu_quota;           // microseconds per period
    std::optional<std::uint64_t> cpu_period;         // microseconds (default 100000)
    std::optional<std::uint64_t> cpu_shares;         // v1 shares; v2 gets the equivalent weight
    std::string cpuset_cpus;                         // "0-2,4"
    std::string cpuset_mems;
    std::optional<std::int64_t> pids_limit;  // <= 0: unlimited
    std::optional<std::uint16_t> blkio_weight;
    std::vector<DeviceWeight> blkio_weight_device;
    std::vector<DeviceRate> read_bps, write_bps, read_iops, write_iops;
};

struct CgroupStats {
    std::uint64_t cpu_usage_ns = 0;
    std::uint64_t memory_usage = 0;
    std::uint64_t memory_limit = 0;  // 0: unlimited
    std::uint64_t pids = 0;
    std::uint64_t io_read_bytes = 0;
    std::uint64_t io_write_bytes = 0;
};

// One container's cgroup (in every v1 hierarchy, or one v2 directory).
class Cgroup {
  public:
    virtual ~Cgroup() = default;

    virtual Result<void> apply(const Resources& resources) = 0;
    // The files a pid is written to so that it enters this cgroup: launch() writes the child's pid
    // there before the child runs any of its own code.
    virtual std::vector<std::string> procs_files() const = 0;
    virtual Result<void> add(pid_t pid) = 0;
    virtual Result<void> freeze() = 0;
    virtual Result<void> thaw() = 0;
    virtual Result<bool> frozen() const = 0;
    virtual Result<std::vector<pid_t>> pids() const = 0;  // host pids of every process inside
    virtual Result<CgroupStats> stats() const = 0;
    virtual Result<bool> oom_killed() const = 0;  // the kernel's OOM killer has acted here
    // Thaws, kills what is left, removes sub-cgroups then the cgroup itself; collects every error
    // rather than stopping at the first. Removing a cgroup that is already gone succeeds.
    virtual Result<void> destroy() = 0;
    virtual const std::string& path() const = 0;  // relative to the hierarchy roots: berth/<id>
};

class CgroupManager {
  public:
    virtual ~CgroupManager() = default;
    virtual int version() const = 0;  // 1 or 2
    // Creates berth/<name> (and the berth parent), enabling the controllers it needs.
    virtual Result<std::unique_ptr<Cgroup>> create(const std::string& name) = 0;
    // Opens an existing container cgroup, e.g. after a daemon restart.
    virtual Result<std::unique_ptr<Cgroup>> open(const std::string& name) = 0;
};

// The checks that need no machine, made again by Cgroup::apply() with the machine's CPUs and
// memory nodes: Docker's 6 MB memory floor, swap at least memory, shares 2..262144, blkio weights
// 10..1000, cpu period 1 ms..1 s. Messages say the valid range.
Result<void> check_resources(const Resources& resources);

// Looks at `root` (normally /sys/fs/cgroup): a v2 mount whose cgroup.controllers lists the
// controllers means v2; per-controller directories mean v1. Tests pass a fake folder.
Result<std::unique_ptr<CgroupManager>> detect_cgroups(const std::string& root = "/sys/fs/cgroup");

}  // namespace berth::engine
