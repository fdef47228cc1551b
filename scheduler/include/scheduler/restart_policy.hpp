// Restart policies: what a service asks for (`restart:` and `deploy.restart_policy`, mapped as
// docker compose maps them onto the engine's one policy) and dockerd's restart manager, the
// decision "restart this exited container, and after what delay?". Pure: the daemon keeps the
// state and the timers (daemon/src/restart_manager.cpp).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "compose/node.hpp"

namespace berth::scheduler {

enum class RestartMode { No, Always, OnFailure, UnlessStopped };

struct RestartPolicy {
    RestartMode mode = RestartMode::No;
    int max_retries = 0;  // on-failure only; 0 = no limit
    bool operator==(const RestartPolicy&) const = default;
};

// "no", "always", "on-failure", "unless-stopped".
const char* to_string(RestartMode m);
// "on-failure:3", or the mode alone: the text parse_restart_policy reads back.
std::string format_restart_policy(const RestartPolicy& p);

// `restart:` text: no | always | on-failure[:N] | unless-stopped, and compose's aliases none (no)
// and any (always). Errors use the engine's words ("invalid restart policy: ...").
Result<RestartPolicy> parse_restart_policy(std::string_view text);

// The service's policy. deploy.restart_policy, when present, wins over `restart:` (docker
// compose's getRestartPolicy: its condition none|on-failure|any and max_attempts; delay and window
// are not carried to the engine there either, so they change nothing here). Errors name the
// service and the key.
Result<RestartPolicy> restart_policy_of(const std::string& service, const compose::Node& node);

// dockerd's restart manager for one container, kept across its runs: the restart count (persisted
// with the container) and the backoff (in memory, as dockerd keeps it).
struct RestartTracker {
    int restart_count = 0;
    std::chrono::milliseconds backoff{0};
};

struct ExitFacts {
    int exit_code = 0;
    bool manually_stopped = false;  // `stop`, or a `kill`, by the user (see decide_restart)
    double ran_seconds = 0;         // from start to exit
};

struct RestartDecision {
    bool restart = false;
    std::chrono::milliseconds delay{0};
};

constexpr std::chrono::milliseconds kRestartFirstDelay{100};
constexpr std::chrono::milliseconds kRestartMaxDelay{60000};
constexpr double kRestartResetAfterSeconds = 10;

// dockerd's RestartManager.ShouldRestart, step for step:
// * the backoff is reset when the run lasted at least 10 s; then it is 100 ms, doubled on each
//   exit after that, capped at 1 minute; it moves on every exit, restarted or not;
// * always restarts; unless-stopped restarts unless the user stopped it; on-failure restarts on a
//   non-zero exit while the restart count is below max_retries (or without a limit when 0);
// * a restart adds one to the restart count.
// A cancelled manager (the user stopped the container while this daemon runs) is the caller's
// business: it never asks.
RestartDecision decide_restart(const RestartPolicy& policy, RestartTracker& tracker,
                               const ExitFacts& exit);

}  // namespace berth::scheduler
