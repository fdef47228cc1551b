// The volume routes: `berth volume ls|create|rm|inspect|prune` (docs/api.md, "Volumes"), shaped
// as Docker's /volumes API so its clients' expectations hold.
#include <nlohmann/json.hpp>

#include "container_ops.hpp"
#include "event_bus.hpp"
#include "json_fields.hpp"
#include "routes.hpp"
#include "volume_store.hpp"
#include "volumes/volume.hpp"

namespace berth::daemon {

namespace {

using json = nlohmann::json;

json volume_view(const DaemonContext& ctx, const VolumeRecord& v) {
    return {{"Name", v.name},
            {"Driver", v.driver},
            {"Mountpoint", volumes::data_dir(volumes_root(ctx), v.name)},
            {"Labels", v.labels},
            {"Options", v.options},
            {"Scope", "local"},
            {"CreatedAt", rfc3339_nano(v.created * 1000000000LL)}};
}

Result<json> json_of(const std::string& text, const char* what) {
    json j = json::parse(text.empty() ? "{}" : text, nullptr, false);
    if (!j.is_object()) return Error(std::string(what) + ": not a JSON object");
    return j;
}

std::vector<std::string> filter_values(const json& filters, const char* key) {
    std::vector<std::string> out;
    auto it = filters.find(key);
    if (it == filters.end()) return out;
    if (it->is_array()) {
        for (const auto& v : *it) {
            if (v.is_string()) out.push_back(v.get<std::string>());
        }
    } else if (it->is_object()) {  // {"key": {"value": true}}, the older encoding
        for (const auto& [k, _] : it->items()) out.push_back(k);
    }
    return out;
}

// name (substring), label (k or k=v), driver, dangling (true: mounted by no container).
Result<bool> matches(DaemonContext& ctx, const VolumeRecord& v, const json& filters) {
    for (const auto& n : filter_values(filters, "name")) {
        if (v.name.find(n) == std::string::npos) return false;
    }
    for (const auto& d : filter_values(filters, "driver")) {
        if (v.driver != d) return false;
    }
    for (const auto& l : filter_values(filters, "label")) {
        auto eq = l.find('=');
        auto it = v.labels.find(l.substr(0, eq));
        if (it == v.labels.end()) return false;
        if (eq != std::string::npos && it->second != l.substr(eq + 1)) return false;
    }
    for (const auto& d : filter_values(filters, "dangling")) {
        if (d != "true" && d != "false" && d != "1" && d != "0") {
            return Error("invalid filter 'dangling=" + d + "'");
        }
        auto users = ctx.db->volume_mounts("", v.name);
        if (!users) return users.error();
        if (users->empty() != (d == "true" || d == "1")) return false;
    }
    return true;
}

int status_of(const Error& e) {
    const std::string& m = e.message();
    if (m.starts_with("no such volume")) return 404;
    if (m.find("already exists") != std::string::npos || m.find("in use") != std::string::npos) {
        return 409;
    }
    return 400;
}

void list_route(DaemonContext& ctx, const HttpRequest& q, ResponseWriter& w) {
    auto it = q.query.find("filters");
    auto filters = json_of(it == q.query.end() ? "" : it->second, "filters");
    if (!filters) return w.error(400, filters.error().message());
    auto all = ctx.db->volumes();
    if (!all) return w.error(500, all.error().message());
    json list = json::array();
    for (const auto& v : *all) {
        auto m = matches(ctx, v, *filters);
        if (!m) return w.error(400, m.error().message());
        if (*m) list.push_back(volume_view(ctx, v));
    }
    w.json(200, json{{"Volumes", list}, {"Warnings", json::array()}}.dump());
}

void create_route(DaemonContext& ctx, const HttpRequest& q, ResponseWriter& w) {
    auto body = json_of(q.body, "the request body");
    if (!body) return w.error(400, body.error().message());
    VolumeRecord v;
    v.name = body->value("Name", "");
    // No name: an anonymous volume, named as Docker names them.
    if (v.name.empty()) {
        v.name = new_container_id();
        v.anonymous = true;
    }
    v.driver = body->value("Driver", "local");
    if (v.driver.empty()) v.driver = "local";
    v.options = json_string_map(*body, "DriverOpts");
    v.labels = json_string_map(*body, "Labels");
    // As Docker: creating a volume that exists with the same driver returns it.
    auto made = create_volume(ctx, v, true);
    if (!made) return w.error(status_of(made.error()), made.error().message());
    w.json(201, volume_view(ctx, *made).dump());
}

void inspect_route(DaemonContext& ctx, const HttpRequest& q, ResponseWriter& w) {
    const std::string name = q.params.at("name");
    auto v = ctx.db->volume(name);
    if (!v) return w.error(500, v.error().message());
    if (!*v) return w.error(404, "get " + name + ": no such volume");
    w.json(200, volume_view(ctx, **v).dump());
}

void remove_route(DaemonContext& ctx, const HttpRequest& q, ResponseWriter& w) {
    const std::string name = q.params.at("name");
    auto force = q.query.find("force");
    if (auto r = remove_volume(ctx, name); !r) {
        const bool missing = r.error().message().starts_with("no such volume");
        if (missing && force != q.query.end() &&
            (force->second == "1" || force->second == "true")) {
            return w.respond(204, "application/json", "");
        }
        return w.error(status_of(r.error()), r.error().message());
    }
    w.respond(204, "application/json", "");
}

// Unused anonymous volumes; with the filter all=true, every unused volume.
void prune_route(DaemonContext& ctx, const HttpRequest& q, ResponseWriter& w) {
    auto it = q.query.find("filters");
    auto filters = json_of(it == q.query.end() ? "" : it->second, "filters");
    if (!filters) return w.error(400, filters.error().message());
    bool all = false;
    for (const auto& a : filter_values(*filters, "all")) all = all || a == "true" || a == "1";
    filters->erase("all");
    auto list = ctx.db->volumes();
    if (!list) return w.error(500, list.error().message());
    json deleted = json::array();
    for (const auto& v : *list) {
        if (!all && !v.anonymous) continue;
        auto m = matches(ctx, v, *filters);
        if (!m) return w.error(400, m.error().message());
        if (!*m) continue;
        auto users = ctx.db->volume_mounts("", v.name);
        if (!users || !users->empty()) continue;
        if (remove_volume(ctx, v.name)) deleted.push_back(v.name);
    }
    w.json(200, json{{"VolumesDeleted", deleted}, {"SpaceReclaimed", 0}}.dump());
}

}  // namespace

void add_volume_routes(Router& r, DaemonContext& ctx) {
    r.add("GET", "/v1/volumes",
          [&ctx](const HttpRequest& q, ResponseWriter& w) { list_route(ctx, q, w); });
    r.add("POST", "/v1/volumes/create",
          [&ctx](const HttpRequest& q, ResponseWriter& w) { create_route(ctx, q, w); });
    r.add("POST", "/v1/volumes/prune",
          [&ctx](const HttpRequest& q, ResponseWriter& w) { prune_route(ctx, q, w); });
    r.add("GET", "/v1/volumes/{name}",
          [&ctx](const HttpRequest& q, ResponseWriter& w) { inspect_route(ctx, q, w); });
    r.add("DELETE", "/v1/volumes/{name}",
          [&ctx](const HttpRequest& q, ResponseWriter& w) { remove_route(ctx, q, w); });
}

}  // namespace berth::daemon
