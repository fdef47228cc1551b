// cgroup limits (resources_of) and log rotation (log_rotation_of) → create's limit options.
#include "container_args_parts.hpp"
#include "scheduler/logging.hpp"
#include "scheduler/resources.hpp"

namespace berth::scheduler::detail {
namespace {

using compose::Node;

template <typename T>
void add_opt(ArgsBuilder& b, const char* flag, const std::optional<T>& v) {
    if (v) b.add(flag, std::to_string(*v));
}

template <typename List>
void add_per_device(ArgsBuilder& b, const char* flag, const List& list) {
    for (const auto& d : list) {
        if constexpr (requires { d.weight; }) {
            b.add(flag, d.device + ":" + std::to_string(d.weight));
        } else {
            b.add(flag, d.device + ":" + std::to_string(d.rate));
        }
    }
}

void add_resources(ArgsBuilder& b, const engine::Resources& r) {
    add_opt(b, "--memory", r.memory);
    add_opt(b, "--memory-reservation", r.memory_reservation);
    add_opt(b, "--memory-swap", r.memory_swap);
    add_opt(b, "--cpu-period", r.cpu_period);
    add_opt(b, "--cpu-quota", r.cpu_quota);
    add_opt(b, "--cpu-shares", r.cpu_shares);
    if (!r.cpuset_cpus.empty()) b.add("--cpuset-cpus", r.cpuset_cpus);
    if (!r.cpuset_mems.empty()) b.add("--cpuset-mems", r.cpuset_mems);
    add_opt(b, "--pids-limit", r.pids_limit);
    add_opt(b, "--blkio-weight", r.blkio_weight);
    add_per_device(b, "--blkio-weight-device", r.blkio_weight_device);
    add_per_device(b, "--device-read-bps", r.read_bps);
    add_per_device(b, "--device-write-bps", r.write_bps);
    add_per_device(b, "--device-read-iops", r.read_iops);
    add_per_device(b, "--device-write-iops", r.write_iops);
}

// Only json-file is written (by the monitor); other drivers would lose or misplace the logs.
Result<void> add_logging(ArgsBuilder& b) {
    if (const Node* logging = b.get("logging"); logging && logging->is_map()) {
        const Node* driver = logging->find("driver");
        if (driver && !driver->text.empty() && driver->text != "json-file") {
            return b.fail("logging driver \"" + driver->text +
                          "\" is not supported (only json-file)");
        }
    }
    // The service's options over the daemon's log-opts; create's own defaults (no rotation)
    // need no flags.
    auto rotation = log_rotation_of(b.service, b.ctx.log_defaults);
    if (!rotation) return b.fail(rotation.error().message());
    const LogRotation none;
    if (rotation->max_size != none.max_size) {
        b.add("--log-max-size", std::to_string(rotation->max_size));
    }
    if (rotation->max_file != none.max_file) {
        b.add("--log-max-file", std::to_string(rotation->max_file));
    }
    return {};
}

}  // namespace

Result<void> add_limits(ArgsBuilder& b) {
    auto resources = resources_of(b.service, b.ctx.host_cpus);
    if (!resources) return b.fail(resources.error().message());
    add_resources(b, *resources);
    return add_logging(b);
}

}  // namespace berth::scheduler::detail
