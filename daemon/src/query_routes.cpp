// The routes that only read: ps, ls, logs, events, top, stats, wait.
#include <algorithm>
#include <ctime>
#include <nlohmann/json.hpp>
#include <set>

#include "common/strings.hpp"
#include "container_view.hpp"
#include "health_monitor.hpp"
#include "inspect_view.hpp"
#include "project_request.hpp"
#include "routes.hpp"

namespace berth::daemon {

namespace {

using nlohmann::json;

bool flag(const HttpRequest& req, const char* key) {
    auto it = req.query.find(key);
    return it != req.query.end() && (it->second == "1" || it->second == "true");
}

std::string query(const HttpRequest& req, const char* key) {
    auto it = req.query.find(key);
    return it == req.query.end() ? "" : it->second;
}

// since/until: RFC 3339, or unix seconds (with a fraction), or a duration back from now ("10m").
Result<std::int64_t> time_arg(const std::string& text) {
    if (text.empty()) return std::int64_t{0};
    std::int64_t now = now_nano();
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (end && *end == '\0') return static_cast<std::int64_t>(v * 1e9);
    if (end && end != text.c_str() && end[1] == '\0') {
        double unit = *end == 's' ? 1 : *end == 'm' ? 60 : *end == 'h' ? 3600 : 0;
        if (unit > 0) return now - static_cast<std::int64_t>(v * unit * 1e9);
    }
    std::int64_t secs = parse_rfc3339(text);
    if (secs < 0) {
        return Error("\"" + text +
                     "\" is not a time: give RFC 3339, unix seconds or a duration such as 10m");
    }
    return secs * 1000000000;
}

// The project's containers a query selects (services=, index=, oneoff=).
Result<std::vector<ContainerRecord>> selected(DaemonContext& ctx, const HttpRequest& req) {
    auto all = ctx.db->containers(req.params.at("name"));
    if (!all) return all.error();
    auto services = split_nonempty(query(req, "services"), ",");
    std::set<std::string> wanted(services.begin(), services.end());
    std::string index = query(req, "index");
    std::vector<ContainerRecord> out;
    for (auto& c : *all) {
        if (!wanted.empty() && !wanted.count(c.service)) continue;
        if (!index.empty() && std::to_string(c.number) != index) continue;
        if (c.oneoff && !flag(req, "oneoff") && wanted.empty()) continue;
        out.push_back(std::move(c));
    }
    return out;
}

// `fields=A,B,...`: only these fields of each container. `ps -q`, `--services` and the table
// need few of them; with all=1 and none that depends on the run state, no container folder is
// read at all.
Result<JsonObjectWriter::Keys> wanted_fields(const std::string& text) {
    JsonObjectWriter::Keys out;
    const auto& known = container_fields();
    for (const auto& f : split_nonempty(text, ",")) {
        if (std::find(known.begin(), known.end(), f) == known.end()) {
            return Error("unknown field \"" + f + "\" in fields=: see docs/api.md, \"Container\"");
        }
        out.insert(f);
    }
    return out;
}

// docker compose ps's Publishers of every container that publishes ports, as JSON arrays.
std::map<std::string, std::string> publishers_by_container(DaemonContext& ctx) {
    std::map<std::string, json> lists;
    if (auto ports = ctx.db->ports()) {
        for (const auto& p : *ports) {
            lists[p.container_id].push_back({{"URL", p.host_ip.empty() ? "0.0.0.0" : p.host_ip},
                                             {"TargetPort", p.container_port},
                                             {"PublishedPort", p.host_port},
                                             {"Protocol", p.protocol}});
        }
    }
    std::map<std::string, std::string> out;
    for (const auto& [id, list] : lists) out[id] = list.dump();
    return out;
}

void containers_route(DaemonContext& ctx, const HttpRequest& req, ResponseWriter& w) {
    auto fields = wanted_fields(query(req, "fields"));
    if (!fields) return w.error(400, fields.error().message());
    auto list = selected(ctx, req);
    if (!list) return w.error(500, list.error().message());
    const bool all = flag(req, "all");
    const JsonObjectWriter::Keys* only = fields->empty() ? nullptr : &*fields;
    auto any = [&](bool (*pred)(std::string_view)) {
        return !only || std::any_of(only->begin(), only->end(),
                                    [&](const std::string& f) { return pred(f); });
    };
    const bool need_status = !all || any(field_needs_status);
    const bool need_extras = any(field_needs_extras);
    std::int64_t now = static_cast<std::int64_t>(::time(nullptr));
    std::string out = "[";
    // About 1 KiB a container: one allocation instead of a dozen regrowths of a large string,
    // each a fresh mapping to fault in.
    out.reserve(list->size() * (only ? 256 : 1024) + 2);
    // One query for every container's restart count, not one per container.
    std::map<std::string, int> restarts;
    std::map<std::string, std::string> publishers;
    if (need_extras) {
        if (auto rs = ctx.db->restart_records()) {
            for (const auto& r : *rs) restarts[r.id] = r.restart_count;
        }
        publishers = publishers_by_container(ctx);
    }
    for (const auto& c : *list) {
        ContainerStatus s{ContainerRunState::Dead, 0, 0, false, "", ""};
        if (need_status) {
            if (auto st = ctx.runtime->status(c.id)) s = *st;
        }
        if (!all && s.state != ContainerRunState::Running && s.state != ContainerRunState::Paused)
            continue;
        if (out.size() > 1) out += ',';
        ContainerExtras extras;
        if (need_extras) {
            extras.health = ps_health(s, ctx.health ? ctx.health->view(c.id) : std::nullopt);
            if (auto rc = restarts.find(c.id); rc != restarts.end()) {
                extras.restart_count = rc->second;
            }
            if (auto p = publishers.find(c.id); p != publishers.end())
                extras.publishers = p->second;
        }
        append_container_json(out, c, s, now, extras, only);
    }
    out += ']';
    w.json(200, out);
}

void projects_route(DaemonContext& ctx, const HttpRequest& req, ResponseWriter& w) {
    auto projects = ctx.db->projects();
    if (!projects) return w.error(500, projects.error().message());
    json out = json::array();
    for (const auto& p : *projects) {
        auto cs = ctx.db->containers(p.name);
        std::vector<ContainerStatus> states;
        bool any_running = false;
        for (const auto& c : cs ? *cs : std::vector<ContainerRecord>{}) {
            auto st = ctx.runtime->status(c.id);
            if (!st) continue;
            any_running = any_running || st->state == ContainerRunState::Running;
            states.push_back(*st);
        }
        if (!flag(req, "all") && !any_running) continue;
        std::string files;
        for (const auto& f : p.config_files) files += (files.empty() ? "" : ",") + f;
        out.push_back(
            {{"Name", p.name}, {"Status", project_status(states)}, {"ConfigFiles", files}});
    }
    w.json(200, out.dump());
}

void logs_route(DaemonContext& ctx, const HttpRequest& req, ResponseWriter& w) {
    auto list = selected(ctx, req);
    if (!list) return w.error(500, list.error().message());
    LogQuery q;
    q.follow = flag(req, "follow");
    std::string tail = query(req, "tail");
    if (!tail.empty() && tail != "all") {
        char* end = nullptr;
        unsigned long n = std::strtoul(tail.c_str(), &end, 10);
        if (!end || *end) return w.error(400, "--tail \"" + tail + "\": give a number or \"all\"");
        q.tail = n;
    }
    auto since = time_arg(query(req, "since"));
    auto until = time_arg(query(req, "until"));
    if (!since) return w.error(400, since.error().message());
    if (!until) return w.error(400, until.error().message());
    q.since_nano = *since;
    q.until_nano = *until;
    std::map<std::string, const ContainerRecord*> by_id;
    std::vector<std::string> ids;
    for (const auto& c : *list) {
        by_id[c.id] = &c;
        ids.push_back(c.id);
    }
    if (!w.start_stream()) return;
    auto r = ctx.runtime->logs(ids, q, [&](const LogLine& l) {
        const ContainerRecord* c = by_id.at(l.container_id);
        json j = {{"container", c->name},
                  {"service", c->service},
                  {"number", c->number},
                  {"stream", l.stream},
                  {"time", rfc3339_nano(l.time_nano)},
                  {"line", l.line}};
        return w.write_line(j.dump()) && !(q.follow && w.client_gone());
    });
    if (!r)
        w.write_line(json{
            {"type", "result"}, {"ok", false}, {"message", r.error().message()}, {"exit_code", 1}}
                         .dump());
    w.finish();
}

bool event_matches(const EventRecord& e, const json& filters) {
    auto check = [&](const char* key, const std::string& value) {
        auto it = filters.find(key);
        if (it == filters.end() || !it->is_array() || it->empty()) return true;
        for (const auto& v : *it) {
            if (v.is_string() && v.get<std::string>() == value) return true;
        }
        return false;
    };
    auto attr = [&](const char* k) {
        auto it = e.attributes.find(k);
        return it == e.attributes.end() ? std::string() : it->second;
    };
    // "health_status" selects every "health_status: <status>", as Docker's filter does.
    const std::string verb = e.action.substr(0, e.action.find(':'));
    return check("project", attr("project")) && check("service", attr("service")) &&
           check("type", e.type) && (check("event", e.action) || check("event", verb)) &&
           check("container", attr("name"));
}

void events_route(DaemonContext& ctx, const HttpRequest& req, ResponseWriter& w) {
    json filters = json::object();
    if (auto f = query(req, "filters"); !f.empty()) {
        filters = json::parse(f, nullptr, false);
        if (filters.is_discarded() || !filters.is_object()) {
            return w.error(400, "filters: not a JSON object of lists");
        }
    }
    auto since = time_arg(query(req, "since"));
    auto until = time_arg(query(req, "until"));
    if (!since) return w.error(400, since.error().message());
    if (!until) return w.error(400, until.error().message());
    // Without since, only what happens from now on, as `docker events`.
    std::int64_t from = *since ? *since : now_nano();
    if (!w.start_stream()) return;
    ctx.events->follow(
        from, *until,
        [&](const EventRecord& e) {
            if (!event_matches(e, filters)) return true;
            json attrs = e.attributes;
            json j = {{"time", rfc3339_nano(e.time_nano)},
                      {"timeNano", e.time_nano},
                      {"type", e.type},
                      {"action", e.action},
                      {"id", e.id},
                      {"attributes", attrs}};
            return w.write_line(j.dump());
        },
        [&] { return !w.client_gone(); });
    w.finish();
}

void container_route(DaemonContext& ctx, const HttpRequest& req, ResponseWriter& w,
                     const std::string& what) {
    auto c = find_container(ctx, req.params.at("id"));
    if (!c) return w.error(404, c.error().message());
    if (what == "wait") {
        auto code = ctx.runtime->wait(c->id);
        if (!code) return w.error(500, code.error().message());
        return w.json(200, json{{"StatusCode", *code}}.dump());
    }
    auto r = what == "top" ? ctx.runtime->top_json(c->id) : ctx.runtime->stats_json(c->id);
    if (!r) return w.error(409, r.error().message());
    w.json(200, *r);
}

}  // namespace

Result<ContainerRecord> find_container(DaemonContext& ctx, const std::string& ref) {
    if (auto byname = ctx.db->container_by_name(ref); byname && *byname) return **byname;
    auto all = ctx.db->containers("");
    if (!all) return all.error();
    std::vector<const ContainerRecord*> hits;
    for (const auto& c : *all) {
        if (ref.size() >= 4 && c.id.compare(0, ref.size(), ref) == 0) hits.push_back(&c);
    }
    if (hits.size() == 1) return *hits[0];
    if (hits.size() > 1) return Error("container id prefix \"" + ref + "\" is ambiguous");
    return Error("no such container: " + ref);
}

void add_query_routes(Router& r, DaemonContext& ctx) {
    r.add("GET", "/v1/projects",
          [&ctx](const HttpRequest& q, ResponseWriter& w) { projects_route(ctx, q, w); });
    r.add("GET", "/v1/projects/{name}/containers",
          [&ctx](const HttpRequest& q, ResponseWriter& w) { containers_route(ctx, q, w); });
    r.add("GET", "/v1/projects/{name}/logs",
          [&ctx](const HttpRequest& q, ResponseWriter& w) { logs_route(ctx, q, w); });
    r.add("GET", "/v1/events",
          [&ctx](const HttpRequest& q, ResponseWriter& w) { events_route(ctx, q, w); });
    for (const char* what : {"top", "stats"}) {
        r.add("GET", std::string("/v1/containers/{id}/") + what,
              [&ctx, what](const HttpRequest& q, ResponseWriter& w) {
                  container_route(ctx, q, w, what);
              });
    }
    r.add("POST", "/v1/containers/{id}/wait",
          [&ctx](const HttpRequest& q, ResponseWriter& w) { container_route(ctx, q, w, "wait"); });
}

}  // namespace berth::daemon
