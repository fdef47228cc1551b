#include "cgroup_values.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "common/strings.hpp"

namespace berth::engine::cgroup {
namespace {

std::optional<int> parse_id(std::string_view s) {
    int v = -1;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
    return v;
}

// Every id of `wanted` must be in `offered`; `what` is "CPUs" or "memory nodes".
Result<void> check_subset(const std::string& wanted, const std::string& offered, const char* key,
                          const char* what) {
    if (wanted.empty() || offered.empty()) return {};  // empty: the machine was not asked
    auto ids = parse_cpu_list(wanted);
    if (!ids) return ids.error();
    auto have = parse_cpu_list(offered);
    if (!have)
        return Error(std::string("cannot read the machine's ") + what + ": " +
                     have.error().message());
    for (int id : *ids) {
        if (have->count(id) == 0) {
            return Error(std::string(key) + " \"" + wanted + "\": this machine has " + what + " " +
                         offered);
        }
    }
    return {};
}

Result<void> check_memory(const Resources& r) {
    const std::string min = format_bytes(kMinMemory);
    if (r.memory && *r.memory > 0 && *r.memory < kMinMemory) {
        return Error("memory limit " + format_bytes(*r.memory) +
                     ": minimum memory limit allowed is " + min);
    }
    if (r.memory_reservation && *r.memory_reservation > 0 && *r.memory_reservation < kMinMemory) {
        return Error("memory reservation " + format_bytes(*r.memory_reservation) +
                     ": minimum memory reservation allowed is " + min);
    }
    if (r.memory_swap && *r.memory_swap != -1 && *r.memory_swap != 0) {
        if (!r.memory || *r.memory <= 0) {
            return Error("memory swap limit " + format_bytes(*r.memory_swap) +
                         ": a swap limit needs a memory limit too (mem_limit)");
        }
        if (*r.memory_swap < *r.memory) {
            return Error("memory swap limit " + format_bytes(*r.memory_swap) +
                         ": must be at least the memory limit " + format_bytes(*r.memory) +
                         " (it counts memory plus swap), or -1 for unlimited swap");
        }
    }
    if (r.memory && r.memory_reservation && *r.memory > 0 && *r.memory_reservation > *r.memory) {
        return Error("memory reservation " + format_bytes(*r.memory_reservation) +
                     ": must be at most the memory limit " + format_bytes(*r.memory));
    }
    return {};
}

Result<void> check_cpu(const Resources& r) {
    if (r.cpu_shares && *r.cpu_shares != 0 &&
        (*r.cpu_shares < kMinShares || *r.cpu_shares > kMaxShares)) {
        return Error("cpu shares " + std::to_string(*r.cpu_shares) + ": valid range is " +
                     std::to_string(kMinShares) + " to " + std::to_string(kMaxShares));
    }
    // kernel/sched/core.c: the period is 1 ms to 1 s, and a quota must be at least 1 ms.
    if (r.cpu_period && (*r.cpu_period < 1000 || *r.cpu_period > 1000000)) {
        return Error("cpu period " + std::to_string(*r.cpu_period) +
                     ": valid range is 1000 to 1000000 microseconds");
    }
    if (r.cpu_quota && *r.cpu_quota > 0 && *r.cpu_quota < 1000) {
        return Error("cpu quota " + std::to_string(*r.cpu_quota) +
                     ": minimum is 1000 microseconds (or -1 for no limit)");
    }
    return {};
}

Result<void> check_blkio(const Resources& r) {
    auto check = [](std::uint64_t w, const std::string& what) -> Result<void> {
        if (w == 0 || (w >= kMinBlkioWeight && w <= kMaxBlkioWeight)) return {};
        return Error(what + " " + std::to_string(w) + ": valid range is " +
                     std::to_string(kMinBlkioWeight) + " to " + std::to_string(kMaxBlkioWeight));
    };
    if (r.blkio_weight) {
        if (auto ok = check(*r.blkio_weight, "blkio weight"); !ok) return ok;
    }
    for (const auto& d : r.blkio_weight_device) {
        if (auto ok = check(d.weight, "blkio weight of " + d.device); !ok) return ok;
    }
    return {};
}

}  // namespace

std::int64_t cpus_to_quota(double cpus, std::uint64_t period) {
    if (cpus <= 0) return -1;
    auto quota = static_cast<std::int64_t>(std::llround(cpus * static_cast<double>(period)));
    return quota < 1000 ? 1000 : quota;
}

std::uint64_t shares_to_weight(std::uint64_t shares) {
    if (shares == 0) return 0;
    if (shares <= kMinShares) return 1;
    if (shares >= kMaxShares) return 10000;
    const double l = std::log2(static_cast<double>(shares));
    const double exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
    return static_cast<std::uint64_t>(std::ceil(std::pow(10, exponent)));
}

std::uint64_t blkio_to_io_weight(std::uint64_t weight) {
    if (weight == 0) return 0;
    return 1 + (weight - kMinBlkioWeight) * 9999 / 990;
}

std::string format_bytes(std::int64_t bytes) {
    static const char* units[] = {"B", "KB", "MB", "GB", "TB", "PB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while ((v >= 1024 || v <= -1024) && u < 5) {
        v /= 1024;
        ++u;
    }
    char buf[32];
    if (v == std::floor(v)) {
        std::snprintf(buf, sizeof buf, "%.0f%s", v, units[u]);
    } else {
        std::snprintf(buf, sizeof buf, "%.4g%s", v, units[u]);
    }
    return buf;
}

std::string device_line(std::string_view majmin, std::uint64_t value) {
    return std::string(majmin) + " " + std::to_string(value);
}

std::string io_max_line(const IoMax& m) {
    std::string line = m.majmin;
    auto add = [&](const char* key, const std::optional<std::uint64_t>& v) {
        if (v) line += std::string(" ") + key + "=" + std::to_string(*v);
    };
    add("rbps", m.rbps);
    add("wbps", m.wbps);
    add("riops", m.riops);
    add("wiops", m.wiops);
    return line;
}

Result<std::set<int>> parse_cpu_list(std::string_view list) {
    std::set<int> ids;
    auto bad = [&] {
        return Error("invalid list \"" + std::string(list) + "\": use a form like 0-2,4");
    };
    std::string_view trimmed = list;
    while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == ' ')) {
        trimmed.remove_suffix(1);
    }
    if (trimmed.empty()) return ids;
    for (const auto& part : split(trimmed, ",")) {
        const auto dash = part.find('-');
        auto first = parse_id(std::string_view(part).substr(0, dash));
        auto last =
            dash == std::string::npos ? first : parse_id(std::string_view(part).substr(dash + 1));
        if (!first || !last || *last < *first || *last - *first > 65536) return bad();
        for (int id = *first; id <= *last; ++id) ids.insert(id);
    }
    return ids;
}

std::string format_cpu_list(const std::set<int>& ids) {
    std::string out;
    for (auto it = ids.begin(); it != ids.end();) {
        int first = *it, last = *it;
        for (++it; it != ids.end() && *it == last + 1; ++it) last = *it;
        if (!out.empty()) out += ",";
        out += std::to_string(first);
        if (last != first) out += "-" + std::to_string(last);
    }
    return out;
}

Result<void> validate(const Resources& r, const HostLimits& host) {
    if (auto ok = check_memory(r); !ok) return ok;
    if (auto ok = check_cpu(r); !ok) return ok;
    if (auto ok = check_blkio(r); !ok) return ok;
    if (auto ok = check_subset(r.cpuset_cpus, host.cpus, "cpuset", "CPUs"); !ok) return ok;
    return check_subset(r.cpuset_mems, host.mems, "cpuset mems", "memory nodes");
}

Result<std::string> swap_max_v2(std::int64_t memory_swap, std::optional<std::int64_t> memory) {
    if (memory_swap == -1) return std::string("max");
    if (!memory || *memory <= 0) {
        return Error("memory swap limit: a swap limit needs a memory limit too (mem_limit)");
    }
    if (memory_swap < *memory) {
        return Error("memory swap limit " + format_bytes(memory_swap) +
                     ": must be at least the memory limit " + format_bytes(*memory));
    }
    return std::to_string(memory_swap - *memory);
}

std::string limit_or_max(std::optional<std::int64_t> v) {
    return v && *v > 0 ? std::to_string(*v) : "max";
}

}  // namespace berth::engine::cgroup

namespace berth::engine {

Result<void> check_resources(const Resources& resources) {
    return cgroup::validate(resources, cgroup::HostLimits{});
}

}  // namespace berth::engine
