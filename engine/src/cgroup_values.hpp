// The pure half of cgroups: compose-style values to the numbers and lines the kernel files take,
// and the checks that turn a bad limit into a message naming the valid range. No I/O here.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "engine/cgroups.hpp"

namespace berth::engine::cgroup {

inline constexpr std::uint64_t kDefaultCpuPeriod = 100000;  // µs, the kernel's default
// Docker refuses less (daemon/daemon_unix.go linuxMinMemory): below it the container's own
// runtime overhead alone would trigger the OOM killer.
inline constexpr std::int64_t kMinMemory = 6 * 1024 * 1024;
inline constexpr std::uint64_t kMinShares = 2, kMaxShares = 262144;
inline constexpr std::uint16_t kMinBlkioWeight = 10, kMaxBlkioWeight = 1000;

// `cpus: 0.5` → quota 50000 for the default period. Fractions round to the nearest microsecond;
// the kernel refuses a quota under 1 ms, so tiny values are raised to that.
std::int64_t cpus_to_quota(double cpus, std::uint64_t period = kDefaultCpuPeriod);

// cpu.shares (2..262144, 1024 default) → cpu.weight (1..10000, 100 default) with runc's and
// crun's quadratic fit in log2 space (opencontainers/cgroups utils.go
// ConvertCPUSharesToCgroupV2Value), so that 2, 1024 and 262144 map to 1, 100 and 10000.
std::uint64_t shares_to_weight(std::uint64_t shares);

// blkio.weight (10..1000) → io.weight (1..10000), linear (ConvertBlkIOToIOWeightValue).
std::uint64_t blkio_to_io_weight(std::uint64_t weight);

// 6291456 → "6MB", 1536 → "1.5KB": the short form Docker prints in its messages.
std::string format_bytes(std::int64_t bytes);

// "MAJ:MIN VALUE", the line every v1 blkio device file takes.
std::string device_line(std::string_view majmin, std::uint64_t value);

// One io.max line: "MAJ:MIN rbps=N wbps=N riops=N wiops=N" with only the set keys.
struct IoMax {
    std::string majmin;
    std::optional<std::uint64_t> rbps, wbps, riops, wiops;
};
std::string io_max_line(const IoMax& m);

// "0-2,4" → {0, 1, 2, 4}. Errors on anything else, naming the list.
Result<std::set<int>> parse_cpu_list(std::string_view list);
// {0, 1, 2, 4} → "0-2,4".
std::string format_cpu_list(const std::set<int>& ids);

// What the machine offers, read by the backend from the root cgroup: cpuset.cpus and
// cpuset.mems (v1), cpuset.cpus.effective and cpuset.mems.effective (v2).
struct HostLimits {
    std::string cpus;  // "0-1"
    std::string mems;  // "0"
};

// Every check the kernel would make (and some it would not, like Docker's 6 MB floor), with a
// message that says the valid range: `minimum memory limit allowed is 6MB`, `cpuset "7": this
// machine has CPUs 0-1`.
Result<void> validate(const Resources& r, const HostLimits& host);

// v2 memory.swap.max holds swap alone, v1 memory.memsw.limit_in_bytes memory + swap
// (opencontainers/cgroups ConvertMemorySwapToCgroupV2Value): "max" for -1, else memsw - memory.
Result<std::string> swap_max_v2(std::int64_t memory_swap, std::optional<std::int64_t> memory);

// "max" when the limit is unset, negative or zero (pids.max, cpu.max quota).
std::string limit_or_max(std::optional<std::int64_t> v);

}  // namespace berth::engine::cgroup
