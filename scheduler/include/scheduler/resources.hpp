// A service's resource limits: the normalized compose model → engine::Resources.
#pragma once

#include "common/result.hpp"
#include "compose/node.hpp"
#include "engine/cgroups.hpp"

namespace berth::scheduler {

// Reads mem_limit, mem_reservation, memswap_limit, cpus, cpu_shares, cpu_period, cpu_quota,
// cpuset, pids_limit, blkio_config and deploy.resources (limits.{cpus,memory,pids},
// reservations.memory; they fill what the top-level keys leave unset, the loader having checked
// that both agree when both are set). Errors point at the attribute (file:line:col) and say the
// valid range. `host_cpus` bounds `cpus`, as in Docker ("Range of CPUs is from 0.01 to 2.00").
Result<engine::Resources> resources_of(const compose::Node& service, int host_cpus);

// The same with the CPUs this process may run on.
Result<engine::Resources> resources_of(const compose::Node& service);

}  // namespace berth::scheduler
