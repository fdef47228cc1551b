// What `berth network ls` and `berth network inspect` print, in docker's layouts: the table
// (NETWORK ID NAME DRIVER SCOPE), one JSON object a line, Go templates, the inspect array.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace berth::cli {

// What docker's network formatter shows a template for one network (berthd's Network JSON):
// ID (12 hex unless no_trunc), Name, Driver, Scope, IPv6, Internal, Labels ("k=v,k2=v2"),
// CreatedAt (Go's time format); all strings, as docker's `--format json` prints them.
nlohmann::json network_ls_fields(const nlohmann::json& network, bool no_trunc);

struct NetworkLsView {
    std::string format;  // "" or "table", "json", "table TEMPLATE", or a TEMPLATE
    bool quiet = false;  // -q: ids only (with the table format)
    bool no_trunc = false;
};

// The whole output, each line ending in '\n'; a bad template is an Error.
Result<std::string> render_network_ls(const nlohmann::json& networks, const NetworkLsView& view);

// `network inspect`: the JSON array indented by 4 (as `berth inspect` prints it), or, with a
// template, its output for each network followed by a newline.
Result<std::string> render_network_inspect(const nlohmann::ordered_json& networks,
                                           const std::string& format);

inline constexpr const char* kPruneQuestion =
    "WARNING! This will remove all custom networks not used by at least one container.\n"
    "Are you sure you want to continue?";

// `network prune`'s output: "Deleted Networks:", the names, and an empty line, as docker prints
// it; nothing when nothing was removed.
// `berth dns`: the resolver's address and each name it answers with its addresses; with `name`,
// only that name's addresses, one per line (an error when the network has no such name).
Result<std::string> render_dns(const nlohmann::json& doc, const std::string& name);

std::string prune_report(const std::vector<std::string>& deleted);

// RFC 3339 "2026-11-29T05:00:00.5Z" as Go's time.Time prints it:
// "2026-11-29 05:00:00.5 +0000 UTC".
std::string go_time_string(const std::string& rfc3339);

}  // namespace berth::cli
