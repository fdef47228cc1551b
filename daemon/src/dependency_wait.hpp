// depends_on conditions and `up --wait`: what a dependency's containers must reach before a
// dependent starts (service_healthy, service_completed_successfully), and the wait for every
// started container to be running and healthy. The verdicts are pure; the waits poll the
// runtime's status and the health monitor, waking on every health change.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "daemon/runtime.hpp"
#include "daemon/state.hpp"
#include "health_monitor.hpp"
#include "progress.hpp"
#include "scheduler/graph.hpp"

namespace berth::daemon {

struct DaemonContext;

enum class Verdict { Pending, Met, Failed };
struct ConditionCheck {
    Verdict verdict = Verdict::Pending;
    std::string message;  // for Failed: "container x is unhealthy"
    // A failure a moment may still turn into another: a running container without a healthcheck
    // may be about to exit, which is the error the user needs ("exited (1)").
    bool settled = true;
};

// docker compose's isServiceHealthy: an exited container fails ("container x exited (1)"); one
// without a healthcheck fails ("container x has no healthcheck configured") unless
// running_is_enough, when running is met; unhealthy fails; healthy is met.
ConditionCheck check_healthy(const std::string& name, const ContainerStatus& st,
                             const std::optional<HealthView>& health, bool running_is_enough);
// service_completed_successfully: exited 0 is met, any other exit fails.
ConditionCheck check_completed(const std::string& name, const ContainerStatus& st);

// Before a container of `service` starts: waits for the conditions of its dependencies (not for
// service_started, which the plan's order gives). A required dependency that fails is the error
// "dependency failed to start: ..."; an optional one is a warning.
Result<void> wait_for_dependencies(DaemonContext& ctx, const std::string& project,
                                   const scheduler::Graph& graph, const std::string& service,
                                   Progress& progress);

// `up --wait`: every container running, and healthy when it has a healthcheck; timeout_s 0 is
// no limit.
Result<void> wait_until_up(DaemonContext& ctx, const std::vector<ContainerRecord>& containers,
                           int timeout_s, Progress& progress);

}  // namespace berth::daemon
