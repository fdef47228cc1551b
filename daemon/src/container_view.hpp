// How a container looks to `ps`, `ls` and `--format json`: docker compose's field names and its
// human wording ("Up 3 seconds", "Exited (0) 2 minutes ago"). Pure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "daemon/runtime.hpp"
#include "daemon/state.hpp"

namespace berth::daemon {

// Docker's units.HumanDuration: "Less than a second", "1 second", "About a minute", "3 hours"...
std::string human_duration(std::int64_t seconds);

// The JSON object of one container (docs/api.md "Container"); now_unix for the relative times;
// health "", "starting", "healthy" or "unhealthy" (shown in Status as docker prints it).
std::string container_json(const ContainerRecord& c, const ContainerStatus& st,
                           std::int64_t now_unix, const std::string& health = "");

// "running(2)", "exited(1), running(2)": docker compose ls's Status, states sorted.
std::string project_status(const std::vector<ContainerStatus>& states);

// RFC 3339 text → unix seconds; nullopt-like -1 when unparsable.
std::int64_t parse_rfc3339(const std::string& text);

}  // namespace berth::daemon
