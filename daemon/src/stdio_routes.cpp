// The routes that run a process with the client's own terminal: exec, and `run` (which also
// serves `run -d`). The client passes its stdin, stdout and stderr over the Unix socket
// (docs/api.md, "Stdio passing"), so the container's process reads and writes them directly.
#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "container_ops.hpp"
#include "dependency_wait.hpp"
#include "project_networks.hpp"
#include "project_ops.hpp"
#include "routes.hpp"
#include "volume_store.hpp"

namespace berth::daemon {

namespace {

using nlohmann::json;

constexpr int kFdTimeoutMs = 10000;

struct Fds {
    std::vector<int> fds;
    ~Fds() {
        for (int fd : fds) ::close(fd);
    }
};

void result(ResponseWriter& w, bool ok, int code, const std::string& message = "") {
    json j = {{"type", "result"}, {"ok", ok}, {"exit_code", code}};
    if (!message.empty()) j["message"] = message;
    w.write_line(j.dump());
    w.finish();
}

Result<std::vector<int>> null_stdio() {
    std::vector<int> fds;
    for (int i = 0; i < 3; ++i) {
        int fd = ::open("/dev/null", i == 0 ? O_RDONLY | O_CLOEXEC : O_WRONLY | O_CLOEXEC);
        if (fd < 0) return errno_error("open /dev/null", errno);
        fds.push_back(fd);
    }
    return fds;
}

void exec_route(DaemonContext& ctx, const HttpRequest& req, ResponseWriter& w) {
    auto c = find_container(ctx, req.params.at("id"));
    if (!c) return w.error(404, c.error().message());
    auto body = parse_exec_body(req.body);
    if (!body) return w.error(400, body.error().message());
    auto st = ctx.runtime->status(c->id);
    if (!st || st->state != ContainerRunState::Running) {
        return w.error(409, "container " + c->name + " is not running");
    }
    if (!body->detach && !req.local) {
        return w.error(501, "exec and attached run need the local socket");
    }
    ExecRequest er{body->cmd, body->env, body->user, body->workdir, body->tty, body->detach};
    Fds fds;
    if (body->detach) {
        if (!w.start_stream()) return;
        auto n = null_stdio();
        if (!n) return result(w, false, 1, n.error().message());
        fds.fds = *n;
    } else {
        if (!w.start_stream({{"Berth-Stdio", "send"}})) return;
        auto got = w.receive_fds(kFdTimeoutMs);
        if (!got) return result(w, false, 1, got.error().message());
        fds.fds = *got;
    }
    auto code = ctx.runtime->exec(c->id, er, fds.fds);
    if (!code) return result(w, false, 126, code.error().message());
    result(w, true, *code);
}

// The one-off's number: one above the highest one-off of the service.
int next_oneoff_number(DaemonContext& ctx, const RunRequest& r) {
    int n = 0;
    auto all = ctx.db->containers(r.project.name);
    for (const auto& c : all ? *all : std::vector<ContainerRecord>{}) {
        if (c.oneoff && c.service == r.service) n = std::max(n, c.number);
    }
    return n + 1;
}

// The dependencies of the service, brought up as `up --no-deps`-less `up SERVICE` would,
// without the service itself.
Result<void> start_dependencies(DaemonContext& ctx, const RunRequest& r, Progress& progress) {
    if (r.no_deps) return {};
    UpRequest up;
    up.project = r.project;
    auto graph = graph_for(ctx, r.project.name, &r.project);
    for (const auto& d : graph.dependencies(r.service)) up.options.services.push_back(d.service);
    if (up.options.services.empty()) return {};
    auto prepared = prepare_up(ctx, up);
    if (!prepared) return prepared.error();
    if (auto done = execute_up(ctx, up, *prepared, progress); !done) return done;
    return wait_for_dependencies(ctx, r.project.name, graph, r.service, progress);
}

Result<ContainerRecord> create_oneoff(DaemonContext& ctx, const RunRequest& r,
                                      const RunOverrides& overrides) {
    const compose::Node* node = r.project.service(r.service);
    if (!node) return Error("no such service: \"" + r.service + "\"");
    auto image = resolve_image(ctx, r.service, *node);
    if (!image) return image.error();
    NewContainer nc;
    nc.service = r.service;
    nc.number = next_oneoff_number(ctx, r);
    nc.oneoff = true;
    nc.name = r.name
                  ? *r.name
                  : r.project.name + "-" + r.service + "-run-" + new_container_id().substr(0, 12);
    nc.config_hash = "";
    nc.run = &overrides;
    // Its networks, when no dependency's `up` made them.
    if (auto made = ensure_project_networks(ctx, r.project, nullptr); !made) return made.error();
    if (auto made = ensure_project_volumes(ctx, r.project, nullptr); !made) return made.error();
    return create_container(ctx, r.project, *image, nc);
}

void run_route(DaemonContext& ctx, const HttpRequest& req, ResponseWriter& w) {
    const std::string name = req.params.at("name");
    if (auto v = validate_project_name(name); !v) return w.error(400, v.error().message());
    auto parsed = parse_run_request(req.body, name);
    if (!parsed) return w.error(400, parsed.error().message());
    RunRequest& r = *parsed;
    if (!r.project.service(r.service))
        return w.error(400, "no such service: \"" + r.service + "\"");
    if (!r.detach && !req.local) return w.error(501, "exec and attached run need the local socket");
    RunOverrides overrides{r.command, r.entrypoint, r.env,           r.user,
                           r.workdir, r.tty,        r.service_ports, r.publish};

    Fds fds;
    if (r.detach) {
        if (!w.start_stream()) return;
    } else {
        if (!w.start_stream({{"Berth-Stdio", "send"}})) return;
        auto got = w.receive_fds(kFdTimeoutMs);
        if (!got) return result(w, false, 1, got.error().message());
        fds.fds = *got;
    }
    Progress progress(w);
    std::unique_lock lock(ctx.project_lock(name));
    if (auto d = start_dependencies(ctx, r, progress); !d) {
        return result(w, false, 1, d.error().message());
    }
    auto rec = create_oneoff(ctx, r, overrides);
    lock.unlock();
    if (!rec) return result(w, false, 1, rec.error().message());
    if (auto s = start_container(ctx, *rec); !s) {
        (void)remove_container(ctx, *rec, 0, nullptr, true);
        return result(w, false, 1, s.error().message());
    }
    if (r.detach) {
        w.write_line(json{{"type", "container"}, {"id", rec->id}, {"name", rec->name}}.dump());
        return result(w, true, 0);
    }
    auto code = ctx.runtime->attach(rec->id, fds.fds);
    if (r.rm) (void)remove_container(ctx, *rec, 0, nullptr, true);
    if (!code) return result(w, false, 1, code.error().message());
    result(w, true, *code);
}

}  // namespace

void add_stdio_routes(Router& r, DaemonContext& ctx) {
    r.add("POST", "/v1/containers/{id}/exec",
          [&ctx](const HttpRequest& q, ResponseWriter& w) { exec_route(ctx, q, w); });
    r.add("POST", "/v1/projects/{name}/run",
          [&ctx](const HttpRequest& q, ResponseWriter& w) { run_route(ctx, q, w); });
}

}  // namespace berth::daemon
