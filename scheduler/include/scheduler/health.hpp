// Healthchecks as Docker runs them: the compose `healthcheck` read into the image's form (merged
// field by field with the image's HEALTHCHECK by images::apply_image_config), the defaults, the
// command a probe runs, and the status a series of probe results gives. Pure: the timers and the
// exec are berthd's (daemon/src/health_monitor.cpp).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "compose/node.hpp"
#include "images/image_config.hpp"

namespace berth::scheduler {

// Docker's defaults (api/types/container/config.go).
inline constexpr std::int64_t kHealthDefaultInterval = 30'000'000'000;
inline constexpr std::int64_t kHealthDefaultTimeout = 30'000'000'000;
inline constexpr std::int64_t kHealthDefaultStartInterval = 5'000'000'000;
inline constexpr int kHealthDefaultRetries = 3;
inline constexpr std::size_t kHealthMaxLog = 5;        // State.Health.Log entries kept
inline constexpr std::size_t kHealthMaxOutput = 4096;  // bytes of a probe's output kept

// A service's `healthcheck` as overrides of the image's: the test (["CMD", ...],
// ["CMD-SHELL", "..."] or ["NONE"]), durations and retries it sets (0 = the image's), and
// whether it says `disable: true`. nullopt when the service has no healthcheck key.
struct ServiceHealth {
    std::optional<images::Healthcheck> check;
    bool disable = false;
};
Result<ServiceHealth> service_health(const compose::Node& service);

// The healthcheck with Docker's defaults for the fields left 0.
images::Healthcheck with_health_defaults(images::Healthcheck h);

// The argv of a probe: CMD's arguments as they are, CMD-SHELL's string through /bin/sh -c.
// Fails for NONE, an empty test, or an unknown first word.
Result<std::vector<std::string>> probe_command(const std::vector<std::string>& test);

enum class HealthStatus { Starting, Healthy, Unhealthy };
const char* to_string(HealthStatus s);  // starting, healthy, unhealthy
std::optional<HealthStatus> parse_health_status(const std::string& text);

struct ProbeResult {
    std::int64_t start_nano = 0, end_nano = 0;
    int exit_code = 0;  // 0 healthy, anything else a failure; -1 for a timeout
    std::string output;
};

struct HealthState {
    HealthStatus status = HealthStatus::Starting;
    int failing_streak = 0;
    std::deque<ProbeResult> log;  // oldest first, at most kHealthMaxLog
};

// A (re)started container starts over as "starting"; its log is kept, as Docker keeps it.
void reset_health(HealthState& s);

// Docker's handleProbeResult (daemon/health.go): a success makes it healthy and clears the
// streak; a failure counts only once the start period has passed (or the container was healthy
// once), and `retries` failures in a row make it unhealthy. The output is cut at
// kHealthMaxOutput and the log at kHealthMaxLog.
void record_probe(HealthState& s, const images::Healthcheck& h, std::int64_t started_nano,
                  ProbeResult r);

// How long after a probe (or the start) the next one runs: start_interval while the container
// is starting within its start period, else interval (defaults applied by the caller).
std::int64_t next_probe_delay(const HealthState& s, const images::Healthcheck& h,
                              std::int64_t started_nano, std::int64_t now_nano);

// The result of a probe that outlived its timeout, as Docker words it.
ProbeResult timed_out_probe(std::int64_t start_nano, std::int64_t end_nano,
                            std::int64_t timeout_ns);

}  // namespace berth::scheduler
