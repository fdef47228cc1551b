#include "query_cmds.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <memory>
#include <thread>

#include "ps_table.hpp"
#include "query_format.hpp"

namespace berth::cli {
namespace {

struct QueryFlags {
    std::vector<std::string> services, filters;
    PsView view;
    bool all = false, json = false, no_stream = false;
    std::string format = "table";
};

struct Session {
    ProjectRef ref;
    ApiClient client;
};

Result<Session> open_session(const VerbContext& ctx) {
    auto ref = project_ref(ctx.project);
    if (!ref) return ref.error();
    auto client = connect(ctx.global);
    if (!client) return client.error();
    return Session{std::move(*ref), std::move(*client)};
}

// fields: "" for whole containers, else the few the view needs (docs/api.md), which spares the
// daemon reading and rendering, and this process parsing, what would not be shown.
Result<nlohmann::json> list_containers(const Session& s, const std::vector<std::string>& services,
                                       bool all, const std::string& fields = "") {
    std::string target = project_path(s.ref.name, "containers") + (all ? "?all=1" : "?all=0");
    if (!services.empty()) target += "&services=" + url_encode(join(services, ","));
    if (!fields.empty()) target += "&fields=" + fields;
    return get_json(s.client, get_request(target));
}

std::string ps_fields(const PsView& view) {
    if (view.format == "json" && !view.quiet && !view.services) return "";
    std::string fields = view.quiet ? "ID"
                         : view.services
                             ? "Service"
                             : "Name,Image,Command,Service,RunningFor,Status,Publishers";
    return view.status.empty() ? fields : fields + ",State";
}

int run_ps(const VerbContext& ctx, QueryFlags f) {
    if (f.view.format != "table" && f.view.format != "json") {
        return fail("invalid --format " + f.view.format + ": use table or json");
    }
    for (const auto& filter : f.filters) {
        if (!filter.starts_with("status=")) {
            return fail("invalid filter " + filter + ": only status=VALUE is supported");
        }
        f.view.status.push_back(filter.substr(7));
    }
    auto s = open_session(ctx);
    if (!s) return fail(s.error());
    auto list = list_containers(*s, f.services, f.all || !f.view.status.empty(), ps_fields(f.view));
    if (!list) return fail(list.error());
    std::cout << render_ps(*list, f.view);
    return 0;
}

// Runs `body` for each container of the selected services, in the daemon's order.
template <typename F>
int for_each_container(const VerbContext& ctx, const std::vector<std::string>& services, bool all,
                       F&& body) {
    auto s = open_session(ctx);
    if (!s) return fail(s.error());
    auto list = list_containers(*s, services, all);
    if (!list) return fail(list.error());
    int rc = 0;
    for (const auto& c : *list) {
        if (!c.value("OneOff", false)) rc = std::max(rc, body(s->client, c));
    }
    return rc;
}

int run_top(const VerbContext& ctx, const QueryFlags& f) {
    return for_each_container(ctx, f.services, false, [](const ApiClient& cl, const auto& c) {
        auto top = get_json(cl, get_request("/v1/containers/" + c.value("ID", "") + "/top"));
        if (!top) return fail(top.error());
        std::cout << c.value("Name", "") << "\n" << render_top(*top) << "\n";
        return 0;
    });
}

int run_wait(const VerbContext& ctx, const QueryFlags& f) {
    return for_each_container(ctx, f.services, true, [](const ApiClient& cl, const auto& c) {
        auto w = get_json(cl, post_request("/v1/containers/" + c.value("ID", "") + "/wait", ""));
        if (!w) return fail(w.error());
        int code = w->value("StatusCode", 0);
        std::cout << code << "\n";
        return code;
    });
}

int run_stats(const VerbContext& ctx, const QueryFlags& f) {
    auto s = open_session(ctx);
    if (!s) return fail(s.error());
    for (bool first = true;; first = false) {
        auto list = list_containers(*s, f.services, f.all);
        if (!list) return fail(list.error());
        std::vector<StatsRow> rows;
        for (const auto& c : *list) {
            auto st =
                get_json(s->client, get_request("/v1/containers/" + c.value("ID", "") + "/stats"));
            rows.push_back({c, st ? *st : nlohmann::json::object()});
        }
        // Redraw in place on a terminal, as docker stats does.
        if (!first && ::isatty(1) != 0) std::cout << "\033[2J\033[H";
        std::cout << render_stats(rows) << std::flush;
        if (f.no_stream) return 0;
        std::this_thread::sleep_for(std::chrono::seconds(1));
    }
}

int run_ls(const VerbContext& ctx, const QueryFlags& f) {
    if (f.format != "table" && f.format != "json") {
        return fail("invalid --format " + f.format + ": use table or json");
    }
    auto client = connect(ctx.global);
    if (!client) return fail(client.error());
    auto list =
        get_json(*client, get_request(std::string("/v1/projects") + (f.all ? "?all=1" : "")));
    if (!list) return fail(list.error());
    std::cout << render_projects(*list, f.format, f.view.quiet);
    return 0;
}

int run_events(const VerbContext& ctx, const QueryFlags& f) {
    auto s = open_session(ctx);
    if (!s) return fail(s.error());
    nlohmann::json filters = {{"project", {s->ref.name}}};
    if (!f.services.empty()) filters["service"] = f.services;
    Request req = get_request("/v1/events?filters=" + url_encode(filters.dump()));
    auto r = s->client.stream(req, [&](std::string_view text) {
        auto ev = nlohmann::json::parse(text, nullptr, false);
        if (!ev.is_object() || ev.value("type", "") == "result") return;
        std::cout << (f.json ? format_event_json(ev) : format_event(ev)) << "\n" << std::flush;
    });
    if (!r) return fail(r.error());
    if (!r->ok()) return fail(r->error_message());
    return 0;
}

CLI::App* verb(CLI::App& app, const char* name, const char* help, QueryFlags& f) {
    CLI::App* cmd = app.add_subcommand(name, help);
    cmd->add_option("SERVICE", f.services, "Services");
    return cmd;
}

}  // namespace

std::optional<int> run_project_images(const VerbContext& ctx,
                                      const std::vector<std::string>& services,
                                      const std::string& format, bool quiet) {
    if (format != "table" && format != "json") {
        return fail("invalid --format " + format + ": use table or json");
    }
    auto ref = project_ref(ctx.project);
    if (!ref && is_missing_file_error(ref.error())) return std::nullopt;
    if (!ref) return fail(ref.error());
    if (ref->project) {
        for (const auto& s : services) {
            if (!ref->project->service(s)) return fail("no such service: " + s);
        }
    }
    auto client = connect(ctx.global);
    if (!client) return fail(client.error());
    std::string target = project_path(ref->name, "images");
    if (!services.empty()) target += "?services=" + url_encode(join(services, ","));
    auto rows = get_json(*client, get_request(target));
    if (!rows) return fail(rows.error());
    std::cout << render_project_images(*rows, format, quiet, std::time(nullptr));
    return 0;
}

void add_query_commands(CLI::App& app, VerbContext ctx) {
    auto p = std::make_shared<QueryFlags>();
    CLI::App* ps = verb(app, "ps", "List containers", *p);
    ps->add_flag("-a,--all", p->all, "Show all stopped containers");
    ps->add_flag("-q,--quiet", p->view.quiet, "Only display IDs");
    ps->add_option("--format", p->view.format, "Format the output: table or json");
    ps->add_flag("--services", p->view.services, "Display services");
    ps->add_option(
          "--status", p->view.status,
          "Filter services by status: paused|restarting|removing|running|dead|created|exited")
        ->allow_extra_args(false);
    ps->add_option("--filter", p->filters, "Filter services by a property (status=VALUE)")
        ->allow_extra_args(false);
    ps->callback([ctx, p] { ctx.exit_code = run_ps(ctx, *p); });

    auto t = std::make_shared<QueryFlags>();
    verb(app, "top", "Display the running processes", *t)->callback([ctx, t] {
        ctx.exit_code = run_top(ctx, *t);
    });
    auto w = std::make_shared<QueryFlags>();
    verb(app, "wait", "Block until containers of all (or specified) services stop", *w)
        ->callback([ctx, w] { ctx.exit_code = run_wait(ctx, *w); });
    auto st = std::make_shared<QueryFlags>();
    CLI::App* stats = verb(app, "stats", "Display a live stream of container resource usage", *st);
    stats->add_flag("-a,--all", st->all, "Show all containers (default shows just running)");
    stats->add_flag("--no-stream", st->no_stream,
                    "Disable streaming stats, print the first result");
    stats->callback([ctx, st] { ctx.exit_code = run_stats(ctx, *st); });

    auto e = std::make_shared<QueryFlags>();
    CLI::App* events = verb(app, "events", "Receive real time events from containers", *e);
    events->add_flag("--json", e->json, "Output events as a stream of json objects");
    events->callback([ctx, e] { ctx.exit_code = run_events(ctx, *e); });

    auto l = std::make_shared<QueryFlags>();
    CLI::App* ls = app.add_subcommand("ls", "List running compose projects");
    ls->add_flag("-a,--all", l->all, "Show all stopped Compose projects");
    ls->add_option("--format", l->format, "Format the output: table or json");
    ls->add_flag("-q,--quiet", l->view.quiet, "Only display project names");
    ls->callback([ctx, l] { ctx.exit_code = run_ls(ctx, *l); });
}

}  // namespace berth::cli
