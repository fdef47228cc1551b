#include "scheduler/resources.hpp"

#include <sched.h>

#include <charconv>
#include <cmath>
#include <cstdio>

namespace berth::scheduler {
namespace {

using compose::Node;
using engine::Resources;

const Node* at(const Node& n, std::initializer_list<const char*> path) {
    const Node* cur = &n;
    for (const char* key : path) {
        cur = cur->is_map() ? cur->find(key) : nullptr;
        if (cur == nullptr) return nullptr;
    }
    return cur;
}

Error error_at(const Node& n, const std::string& key, const std::string& what) {
    const std::string where = n.mark.known() ? n.mark.str() + ": " : "";
    return Error(where + key + ": " + what);
}

// Byte sizes are decimal strings in the normalized model, counts plain integers; both read here.
Result<std::int64_t> integer(const Node& n, const std::string& key) {
    std::int64_t v = 0;
    const std::string& s = n.text;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (!n.is_scalar() || ec != std::errc() || end != s.data() + s.size()) {
        return error_at(n, key, "expected an integer, got \"" + s + "\"");
    }
    return v;
}

// The first of `keys` that is set, read as an integer.
Result<std::optional<std::int64_t>> first_int(const Node& svc,
                                              std::initializer_list<const char*> key,
                                              std::initializer_list<const char*> deploy_path,
                                              const std::string& name) {
    const Node* n = at(svc, key);
    if (n == nullptr) n = at(svc, deploy_path);
    if (n == nullptr) return std::optional<std::int64_t>();
    auto v = integer(*n, name);
    if (!v) return v.error();
    return std::optional<std::int64_t>(*v);
}

Result<void> read_memory(const Node& svc, Resources& r) {
    auto memory =
        first_int(svc, {"mem_limit"}, {"deploy", "resources", "limits", "memory"}, "mem_limit");
    auto reservation =
        first_int(svc, {"mem_reservation"}, {"deploy", "resources", "reservations", "memory"},
                  "mem_reservation");
    auto swap = first_int(svc, {"memswap_limit"}, {"memswap_limit"}, "memswap_limit");
    for (auto* v : {&memory, &reservation, &swap}) {
        if (!*v) return v->error();
    }
    r.memory = *memory;
    r.memory_reservation = *reservation;
    r.memory_swap = *swap;
    // Docker's default (daemon_unix.go adaptContainerSettings): as much swap as memory.
    if (r.memory && *r.memory > 0 && !r.memory_swap) r.memory_swap = *r.memory * 2;
    return {};
}

Result<void> read_cpus(const Node& svc, Resources& r, int host_cpus) {
    for (const auto& [key, field] :
         {std::pair{"cpu_shares", 0}, std::pair{"cpu_period", 1}, std::pair{"cpu_quota", 2}}) {
        const Node* n = at(svc, {key});
        if (n == nullptr) continue;
        auto v = integer(*n, key);
        if (!v) return v.error();
        if (field != 2 && *v < 0) return error_at(*n, key, "must not be negative");
        if (field == 0) r.cpu_shares = static_cast<std::uint64_t>(*v);
        if (field == 1) r.cpu_period = static_cast<std::uint64_t>(*v);
        if (field == 2) r.cpu_quota = *v;
    }
    const Node* cpus = at(svc, {"cpus"});
    if (cpus == nullptr) cpus = at(svc, {"deploy", "resources", "limits", "cpus"});
    if (cpus == nullptr) return {};
    auto n = cpus->as_float();
    if (!n) return error_at(*cpus, "cpus", "expected a number, got \"" + cpus->text + "\"");
    // Docker's NanoCPUs rule: cpus is a quota of its own and cannot be mixed with one.
    if (r.cpu_quota || r.cpu_period) {
        return error_at(*cpus, "cpus",
                        "conflicting options: cpus cannot be combined with " +
                            std::string(r.cpu_quota ? "cpu_quota" : "cpu_period"));
    }
    if (*n < 0.01 || *n > host_cpus) {
        char range[96];
        std::snprintf(range, sizeof range,
                      "range of CPUs is from 0.01 to %d.00, as there are only %d CPUs available",
                      host_cpus, host_cpus);
        return error_at(*cpus, "cpus", range);
    }
    r.cpu_period = 100000;  // the kernel's default period
    r.cpu_quota = static_cast<std::int64_t>(std::llround(*n * 100000.0));
    return {};
}

Result<std::uint16_t> weight(const Node& n, const std::string& key) {
    auto v = integer(n, key);
    if (!v) return v.error();
    if (*v < 10 || *v > 1000) {
        return error_at(n, key, std::to_string(*v) + " is out of range: valid range is 10 to 1000");
    }
    return static_cast<std::uint16_t>(*v);
}

Result<void> read_blkio(const Node& svc, Resources& r) {
    const Node* b = at(svc, {"blkio_config"});
    if (b == nullptr || !b->is_map()) return {};
    if (const Node* w = b->find("weight")) {
        auto v = weight(*w, "blkio_config.weight");
        if (!v) return v.error();
        r.blkio_weight = *v;
    }
    if (const Node* list = b->find("weight_device"); list && list->is_seq()) {
        for (const Node& d : list->items) {
            const Node* path = at(d, {"path"});
            const Node* w = at(d, {"weight"});
            if (path == nullptr || w == nullptr) {
                return error_at(d, "blkio_config.weight_device", "needs both path and weight");
            }
            auto v = weight(*w, "blkio_config.weight_device.weight");
            if (!v) return v.error();
            r.blkio_weight_device.push_back({path->text, *v});
        }
    }
    for (const auto& [key, rates] :
         {std::pair{"device_read_bps", &r.read_bps}, std::pair{"device_write_bps", &r.write_bps},
          std::pair{"device_read_iops", &r.read_iops},
          std::pair{"device_write_iops", &r.write_iops}}) {
        const Node* list = b->find(key);
        if (list == nullptr || !list->is_seq()) continue;
        const std::string name = std::string("blkio_config.") + key;
        for (const Node& d : list->items) {
            const Node* path = at(d, {"path"});
            const Node* rate = at(d, {"rate"});
            if (path == nullptr || rate == nullptr)
                return error_at(d, name, "needs both path and rate");
            auto v = integer(*rate, name + ".rate");
            if (!v) return v.error();
            if (*v < 0) return error_at(*rate, name + ".rate", "must not be negative");
            rates->push_back({path->text, static_cast<std::uint64_t>(*v)});
        }
    }
    return {};
}

int allowed_cpus() {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
    return 1;
}

}  // namespace

Result<engine::Resources> resources_of(const compose::Node& service, int host_cpus) {
    Resources r;
    if (auto ok = read_memory(service, r); !ok) return ok.error();
    if (auto ok = read_cpus(service, r, host_cpus); !ok) return ok.error();
    if (const Node* cpuset = at(service, {"cpuset"})) r.cpuset_cpus = cpuset->text;
    auto pids =
        first_int(service, {"pids_limit"}, {"deploy", "resources", "limits", "pids"}, "pids_limit");
    if (!pids) return pids.error();
    r.pids_limit = *pids;
    if (auto ok = read_blkio(service, r); !ok) return ok.error();
    if (auto ok = engine::check_resources(r); !ok) {
        const std::string where = service.mark.known() ? service.mark.str() + ": " : "";
        return Error(where + ok.error().message());
    }
    return r;
}

Result<engine::Resources> resources_of(const compose::Node& service) {
    return resources_of(service, allowed_cpus());
}

}  // namespace berth::scheduler
