// CgroupV2::apply(): the limits in the unified hierarchy's files
// (Documentation/admin-guide/cgroup-v2.rst).
#include <map>

#include "cgroup_fs.hpp"
#include "cgroup_v2.hpp"

namespace berth::engine::cgroup {
namespace {

std::string bytes_or_max(std::int64_t v) {
    return v > 0 ? std::to_string(v) : "max";
}

// io.max takes one line per device with every limit of that device.
Result<std::vector<std::string>> io_max_lines(const Resources& r) {
    std::map<std::string, IoMax> by_device;
    auto add = [&](const std::vector<DeviceRate>& rates,
                   std::optional<std::uint64_t> IoMax::*field) -> Result<void> {
        for (const auto& rate : rates) {
            auto dev = device_number(rate.device);
            if (!dev) return dev.error();
            by_device[*dev].majmin = *dev;
            by_device[*dev].*field = rate.rate;
        }
        return {};
    };
    for (const auto& [rates, field] :
         {std::pair{&r.read_bps, &IoMax::rbps}, std::pair{&r.write_bps, &IoMax::wbps},
          std::pair{&r.read_iops, &IoMax::riops}, std::pair{&r.write_iops, &IoMax::wiops}}) {
        if (auto ok = add(*rates, field); !ok) return ok.error();
    }
    std::vector<std::string> lines;
    for (const auto& [dev, m] : by_device) lines.push_back(io_max_line(m));
    return lines;
}

}  // namespace

Result<void> CgroupV2::apply(const Resources& r) {
    if (auto ok = validate(r, host_); !ok) return ok;
    for (auto step : {&CgroupV2::apply_memory, &CgroupV2::apply_cpu, &CgroupV2::apply_cpuset,
                      &CgroupV2::apply_pids, &CgroupV2::apply_io}) {
        if (auto ok = (this->*step)(r); !ok) return ok.error().context("apply limits to " + path_);
    }
    return {};
}

Result<void> CgroupV2::apply_memory(const Resources& r) {
    // memory.swap.max is absent without swap accounting; as on v1 the swap limit is then moot.
    if (r.memory_swap && *r.memory_swap != 0 && exists(file("memory.swap.max"))) {
        auto swap = swap_max_v2(*r.memory_swap, r.memory);
        if (!swap) return swap.error();
        if (auto ok = write_file(file("memory.swap.max"), *swap); !ok) return ok;
    }
    if (r.memory) {
        if (auto ok = write_file(file("memory.max"), bytes_or_max(*r.memory)); !ok) return ok;
    }
    if (r.memory_reservation) {
        auto low = *r.memory_reservation > 0 ? std::to_string(*r.memory_reservation) : "0";
        if (auto ok = write_file(file("memory.low"), low); !ok) return ok;
    }
    return {};
}

Result<void> CgroupV2::apply_cpu(const Resources& r) {
    if (r.cpu_shares && *r.cpu_shares != 0) {
        auto weight = std::to_string(shares_to_weight(*r.cpu_shares));
        if (auto ok = write_file(file("cpu.weight"), weight); !ok) return ok;
    }
    if (!r.cpu_quota && !r.cpu_period) return {};
    // "$MAX $PERIOD"; the period may be left out, which keeps the current one.
    std::string max = limit_or_max(r.cpu_quota);
    if (r.cpu_period) max += " " + std::to_string(*r.cpu_period);
    return write_file(file("cpu.max"), max);
}

Result<void> CgroupV2::apply_cpuset(const Resources& r) {
    if (!r.cpuset_cpus.empty()) {
        if (auto ok = write_file(file("cpuset.cpus"), r.cpuset_cpus); !ok) return ok;
    }
    if (!r.cpuset_mems.empty()) return write_file(file("cpuset.mems"), r.cpuset_mems);
    return {};
}

Result<void> CgroupV2::apply_pids(const Resources& r) {
    if (!r.pids_limit) return {};
    return write_file(file("pids.max"), limit_or_max(r.pids_limit));
}

// io.weight with the weight mapped to 1..10000, or io.bfq.weight, which keeps blkio's range.
Result<void> CgroupV2::apply_io(const Resources& r) {
    const bool bfq = !exists(file("io.weight")) && exists(file("io.bfq.weight"));
    const std::string weight_file = file(bfq ? "io.bfq.weight" : "io.weight");
    auto weight = [&](std::uint64_t w) { return std::to_string(bfq ? w : blkio_to_io_weight(w)); };
    if (r.blkio_weight && *r.blkio_weight) {
        auto ok = write_file(weight_file, "default " + weight(*r.blkio_weight));
        if (!ok) return ok;
    }
    for (const auto& w : r.blkio_weight_device) {
        auto dev = device_number(w.device);
        if (!dev) return dev.error();
        if (auto ok = write_file(weight_file, *dev + " " + weight(w.weight)); !ok) return ok;
    }
    auto lines = io_max_lines(r);
    if (!lines) return lines.error();
    for (const auto& line : *lines) {
        if (auto ok = write_file(file("io.max"), line); !ok) return ok;
    }
    return {};
}

}  // namespace berth::engine::cgroup
