// How a container looks to `ps`, `ls` and `--format json`: docker compose's field names and its
// human wording ("Up 3 seconds", "Exited (0) 2 minutes ago"). Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/runtime.hpp"
#include "daemon/state.hpp"
#include "json_writer.hpp"

namespace berth::daemon {

// Docker's units.HumanDuration: "Less than a second", "1 second", "About a minute", "3 hours"...
std::string human_duration(std::int64_t seconds);

// What berthd knows of a container beyond its record and its folder.
struct ContainerExtras {
    std::string health;     // "", "starting", "healthy" or "unhealthy" (also shown in Status)
    int restart_count = 0;  // restarts by its restart policy since the user last started it
    std::string publishers = "[]";  // its published ports, as a JSON array (docs/api.md)
};

// The JSON object of one container (docs/api.md "Container"); now_unix for the relative times.
std::string container_json(const ContainerRecord& c, const ContainerStatus& st,
                           std::int64_t now_unix, const ContainerExtras& extras = {});
// The same, appended to out: `ps` writes every row into one reply. With `only`, just those
// fields (GET .../containers?fields=).
void append_container_json(std::string& out, const ContainerRecord& c, const ContainerStatus& st,
                           std::int64_t now_unix, const ContainerExtras& extras = {},
                           const JsonObjectWriter::Keys* only = nullptr);

// The fields of a container's JSON, in the order it is written.
const std::vector<std::string_view>& container_fields();
// Those that need the container's folder read (its run state), or the health and restart
// state berthd keeps.
bool field_needs_status(std::string_view field);
bool field_needs_extras(std::string_view field);

// "running(2)", "exited(1), running(2)": docker compose ls's Status, states sorted.
std::string project_status(const std::vector<ContainerStatus>& states);

// RFC 3339 text → unix seconds; nullopt-like -1 when unparsable.
std::int64_t parse_rfc3339(const std::string& text);

}  // namespace berth::daemon
