// `berth ps` output: docker compose's table (NAME IMAGE COMMAND SERVICE CREATED STATUS PORTS),
// one JSON object per line for --format json, ids for -q, service names for --services.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace berth::cli {

// Columns padded like Go's tabwriter in docker's formatter (min width 10, padding 3); the last
// column is not padded.
std::string render_columns(const std::vector<std::vector<std::string>>& rows);

// "0.0.0.0:8080->80/tcp, 53/udp" from the container's Publishers.
std::string format_ports(const nlohmann::json& publishers);
// The quoted command cut to 20 characters with an ellipsis, as docker truncates it.
std::string format_command(const std::string& quoted);

struct PsView {
    std::string format = "table";     // table | json
    bool quiet = false;               // -q
    bool services = false;            // --services
    std::vector<std::string> status;  // --status / --filter status=X (any of them)
};

// The containers whose State is one of `status` (all when empty), pointing into `containers`.
std::vector<const nlohmann::json*> filter_by_status(const nlohmann::json& containers,
                                                    const std::vector<std::string>& status);
std::string render_ps(const nlohmann::json& containers, const PsView& view);

}  // namespace berth::cli
