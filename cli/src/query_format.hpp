// Output of top, images, stats, ls and events, in docker compose's layout.
#pragma once

#include <ctime>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace berth::cli {

// docker's HumanSizeWithPrecision(size, 3): decimal units, "4.26MB".
std::string human_size(double bytes);
// docker's BytesSize: binary units with 4 significant digits, "1.504MiB".
std::string bytes_size(double bytes);

std::string render_top(const nlohmann::json& top);

// docker compose's `images`: CONTAINER REPOSITORY TAG PLATFORM IMAGE ID SIZE CREATED sorted by
// container, the JSON array, or (quiet) each image id once. `rows` is what
// GET /v1/projects/{name}/images returns.
std::string render_project_images(const nlohmann::json& rows, const std::string& format, bool quiet,
                                  std::time_t now);

struct StatsRow {
    nlohmann::json container;
    nlohmann::json stats;  // empty when the container went away between the two requests
};
std::string render_stats(const std::vector<StatsRow>& rows);

// NAME STATUS CONFIG FILES, or the JSON array, or the names (-q).
std::string render_projects(const nlohmann::json& projects, const std::string& format, bool quiet);

// "2026-11-29 05:00:00.123456 container start <id> (image=..., name=...)"
std::string format_event(const nlohmann::json& event);
// {"time","type","action","service","id","attributes"} as docker compose's --json prints it.
std::string format_event_json(const nlohmann::json& event);

}  // namespace berth::cli
