// `berth inspect`: a container as Docker's inspect shows it (the fields berth has), and the
// health part of `ps`. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "daemon/runtime.hpp"
#include "daemon/state.hpp"
#include "health_monitor.hpp"

namespace berth::daemon {

// Id, Created, Path, Args, State (with Health when the container has a healthcheck), Image,
// Name ("/name"), Config {Image, Cmd, Labels, Healthcheck}.
nlohmann::json inspect_json(const ContainerRecord& c, const ContainerStatus& st,
                            const std::optional<HealthView>& health);

// ps's Health: "starting", "healthy", "unhealthy" for a running (or paused) container with a
// healthcheck, else "".
std::string ps_health(const ContainerStatus& st, const std::optional<HealthView>& health);

}  // namespace berth::daemon
