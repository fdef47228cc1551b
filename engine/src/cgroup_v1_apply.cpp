// CgroupV1::apply(): the limits, one controller at a time, in the file names of cgroup v1
// (Documentation/admin-guide/cgroup-v1/).

#include "cgroup_fs.hpp"
#include "cgroup_v1.hpp"

namespace berth::engine::cgroup {
namespace {

bool any_memory(const Resources& r) {
    return r.memory || r.memory_reservation || r.memory_swap;
}

std::string bytes_or_unlimited(std::int64_t v) {
    return v > 0 ? std::to_string(v) : "-1";
}

// The kernel keeps memory.limit_in_bytes <= memory.memsw.limit_in_bytes at every write, so the
// order depends on the direction: raising the pair writes memsw first, lowering writes the limit
// first (runc fs/memory.go setMemoryAndSwap).
Result<void> write_memory_pair(const std::string& d, const Resources& r) {
    const std::string limit_file = d + "/memory.limit_in_bytes";
    const std::string memsw_file = d + "/memory.memsw.limit_in_bytes";
    // Without swap accounting (swapaccount=0) the memsw files are absent; Docker then ignores
    // the swap limit too.
    const bool memsw = r.memory_swap && *r.memory_swap != 0 && exists(memsw_file);
    if (!memsw) {
        return r.memory ? write_file(limit_file, bytes_or_unlimited(*r.memory)) : Result<void>();
    }
    const std::string swap = bytes_or_unlimited(*r.memory_swap);
    auto current = read_u64(limit_file);
    if (!current) return current.error();
    const bool swap_first =
        *r.memory_swap == -1 || *current < static_cast<std::uint64_t>(*r.memory_swap);
    if (swap_first) {
        if (auto ok = write_file(memsw_file, swap); !ok) return ok;
    }
    if (r.memory) {
        if (auto ok = write_file(limit_file, bytes_or_unlimited(*r.memory)); !ok) return ok;
    }
    return swap_first ? Result<void>() : write_file(memsw_file, swap);
}

// Weights go to blkio.weight (CFQ, gone since 5.0) or blkio.bfq.weight (BFQ), whichever the
// kernel's scheduler offers; bfq takes per-device lines in the same file.
std::string weight_file(const std::string& d, bool per_device) {
    const std::string cfq = d + (per_device ? "/blkio.weight_device" : "/blkio.weight");
    return exists(cfq) ? cfq : d + "/blkio.bfq.weight";
}

Result<void> write_rates(const std::string& file, const std::vector<DeviceRate>& rates) {
    for (const auto& r : rates) {
        auto dev = device_number(r.device);
        if (!dev) return dev.error();
        if (auto ok = write_file(file, device_line(*dev, r.rate)); !ok) return ok;
    }
    return {};
}

}  // namespace

Result<void> CgroupV1::apply(const Resources& r) {
    if (auto ok = validate(r, host_); !ok) return ok;
    for (auto step : {&CgroupV1::apply_memory, &CgroupV1::apply_cpu, &CgroupV1::apply_cpuset,
                      &CgroupV1::apply_pids, &CgroupV1::apply_blkio}) {
        if (auto ok = (this->*step)(r); !ok) return ok.error().context("apply limits to " + path_);
    }
    return {};
}

Result<void> CgroupV1::apply_memory(const Resources& r) {
    if (!any_memory(r)) return {};
    auto d = dir("memory");
    if (!d) return d.error();
    if (r.memory_reservation) {
        auto ok = write_file(*d + "/memory.soft_limit_in_bytes",
                             bytes_or_unlimited(*r.memory_reservation));
        if (!ok) return ok;
    }
    return write_memory_pair(*d, r);
}

Result<void> CgroupV1::apply_cpu(const Resources& r) {
    if (!r.cpu_shares && !r.cpu_period && !r.cpu_quota) return {};
    auto d = dir("cpu");
    if (!d) return d.error();
    if (r.cpu_shares && *r.cpu_shares != 0) {
        if (auto ok = write_file(*d + "/cpu.shares", std::to_string(*r.cpu_shares)); !ok) return ok;
    }
    // The period first: the kernel checks the quota against it.
    if (r.cpu_period) {
        auto ok = write_file(*d + "/cpu.cfs_period_us", std::to_string(*r.cpu_period));
        if (!ok) return ok;
    }
    if (r.cpu_quota) {
        const std::int64_t quota = *r.cpu_quota > 0 ? *r.cpu_quota : -1;
        if (auto ok = write_file(*d + "/cpu.cfs_quota_us", std::to_string(quota)); !ok) return ok;
    }
    return {};
}

Result<void> CgroupV1::apply_cpuset(const Resources& r) {
    if (r.cpuset_cpus.empty() && r.cpuset_mems.empty()) return {};
    auto d = dir("cpuset");
    if (!d) return d.error();
    if (!r.cpuset_cpus.empty()) {
        if (auto ok = write_file(*d + "/cpuset.cpus", r.cpuset_cpus); !ok) return ok;
    }
    if (!r.cpuset_mems.empty()) return write_file(*d + "/cpuset.mems", r.cpuset_mems);
    return {};
}

Result<void> CgroupV1::apply_pids(const Resources& r) {
    if (!r.pids_limit) return {};
    auto d = dir("pids");
    if (!d) return d.error();
    return write_file(*d + "/pids.max", limit_or_max(r.pids_limit));
}

Result<void> CgroupV1::apply_blkio(const Resources& r) {
    const bool any = (r.blkio_weight && *r.blkio_weight) || !r.blkio_weight_device.empty() ||
                     !r.read_bps.empty() || !r.write_bps.empty() || !r.read_iops.empty() ||
                     !r.write_iops.empty();
    if (!any) return {};
    auto d = dir("blkio");
    if (!d) return d.error();
    if (r.blkio_weight && *r.blkio_weight) {
        auto ok = write_file(weight_file(*d, false), std::to_string(*r.blkio_weight));
        if (!ok) return ok;
    }
    for (const auto& w : r.blkio_weight_device) {
        auto dev = device_number(w.device);
        if (!dev) return dev.error();
        if (auto ok = write_file(weight_file(*d, true), device_line(*dev, w.weight)); !ok)
            return ok;
    }
    const std::string t = *d + "/blkio.throttle.";
    for (const auto& [file, rates] :
         {std::pair{"read_bps_device", &r.read_bps}, std::pair{"write_bps_device", &r.write_bps},
          std::pair{"read_iops_device", &r.read_iops},
          std::pair{"write_iops_device", &r.write_iops}}) {
        if (auto ok = write_rates(t + file, *rates); !ok) return ok;
    }
    return {};
}

}  // namespace berth::engine::cgroup
