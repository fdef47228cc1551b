#include "up_cmd.hpp"

#include <signal.h>

#include <algorithm>
#include <ctime>
#include <iostream>
#include <memory>

#include "logs_cmd.hpp"

namespace berth::cli {
namespace {

struct UpFlags {
    bool detach = false, wait = false, no_deps = false, force_recreate = false;
    bool no_recreate = false, remove_orphans = false, no_start = false;
    bool abort_on_exit = false, abort_on_failure = false, timestamps = false;
    int wait_timeout = 0, timeout = 0;
    std::string exit_code_from;
    std::vector<std::string> attach, no_attach, scale, services;
    CLI::Option* timeout_opt = nullptr;
};

volatile std::sig_atomic_t g_first_interrupt = 0;
volatile std::sig_atomic_t g_second_interrupt = 0;

void on_interrupt(int) {
    if (g_first_interrupt != 0) g_second_interrupt = 1;
    g_first_interrupt = 1;
}

// No SA_RESTART: the reads poll the flags, and nothing should resume as if Ctrl-C did not happen.
void catch_interrupts() {
    struct sigaction sa {};
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, nullptr);
}

int refused_flag(const UpFlags& f) {
    if (f.abort_on_exit) return refuse("--abort-on-container-exit");
    if (f.abort_on_failure) return refuse("--abort-on-container-failure");
    if (!f.exit_code_from.empty()) return refuse("--exit-code-from");
    if (!f.scale.empty()) return refuse("--scale");
    return 0;
}

Body up_body(const compose::Project& p, const UpFlags& f, bool no_start, int parallel) {
    Body options = {{"services", f.services},
                    {"detach", f.detach},
                    {"no_deps", f.no_deps},
                    {"force_recreate", f.force_recreate},
                    {"no_recreate", f.no_recreate},
                    {"remove_orphans", f.remove_orphans},
                    {"no_start", no_start},
                    {"timeout", f.timeout_opt->count() > 0 ? Body(f.timeout) : Body(nullptr)},
                    {"parallel", parallel > 0 ? parallel : 0},
                    {"wait", f.wait},
                    {"wait_timeout", f.wait_timeout}};
    return {{"project", model_json(p)},
            {"config_files", p.config_files},
            {"working_dir", p.working_dir},
            {"options", options}};
}

// The services whose logs `up` shows: --attach, else all selected, minus --no-attach.
std::vector<std::string> attached_services(const compose::Project& p, const UpFlags& f) {
    std::vector<std::string> base = !f.attach.empty()     ? f.attach
                                    : !f.services.empty() ? f.services
                                                          : p.service_names();
    std::vector<std::string> out;
    for (const auto& s : base) {
        if (std::find(f.no_attach.begin(), f.no_attach.end(), s) == f.no_attach.end()) {
            out.push_back(s);
        }
    }
    return out;
}

// Ctrl-C while following: stop the project; a second Ctrl-C kills it instead.
int stop_after_interrupt(const ApiClient& client, const compose::Project& p, const UpFlags& f,
                         const GlobalFlags& global) {
    std::cerr << "Gracefully stopping... (press Ctrl+C again to force)\n";
    Body options = {{"timeout", f.timeout_opt->count() > 0 ? Body(f.timeout) : Body(nullptr)}};
    Body body = {{"project", model_json(p)}, {"services", f.services}, {"options", options}};
    Request stop = post_request(project_path(p.name, "stop"), body.dump());
    int rc = run_progress(client, stop, global, &g_second_interrupt);
    if (g_second_interrupt != 0) {
        body["options"] = {{"signal", "SIGKILL"}};
        Request kill = post_request(project_path(p.name, "kill"), body.dump());
        rc = run_progress(client, kill, global);
    }
    return rc == 0 ? 130 : rc;
}

int follow(const ApiClient& client, const compose::Project& p, const UpFlags& f,
           const GlobalFlags& global, std::time_t since) {
    LogQuery q;
    q.follow = true;
    q.since = std::to_string(since);
    q.services = attached_services(p, f);
    if (q.services.empty()) return 0;
    std::cout << "Attaching to " << join(q.services, ", ") << "\n";
    LogStyle style{.color = global.color(), .timestamps = f.timestamps, .prefix = true};
    auto r = print_logs(client, p.name, q, style, &g_first_interrupt);
    if (g_first_interrupt != 0) return stop_after_interrupt(client, p, f, global);
    return r ? 0 : fail(r.error());
}

int run_up(const VerbContext& ctx, const UpFlags& f, bool create) {
    if (int rc = refused_flag(f); rc != 0) return rc;
    if (f.force_recreate && f.no_recreate) {
        return fail("--force-recreate and --no-recreate are incompatible");
    }
    auto project = load_project(ctx.project, f.services);
    if (!project) return fail(project.error());
    auto client = connect(ctx.global);
    if (!client) return fail(client.error());
    std::time_t since = std::time(nullptr);
    bool no_start = create || f.no_start;
    const bool detach = f.detach || f.wait;  // --wait implies --detach, as in docker compose
    if (!create && !detach && !no_start) catch_interrupts();
    Request req = post_request(project_path(project->name, create ? "create" : "up"),
                               up_body(*project, f, no_start, ctx.global.parallel).dump());
    int rc = run_progress(*client, req, ctx.global, &g_first_interrupt);
    if (g_first_interrupt != 0) return stop_after_interrupt(*client, *project, f, ctx.global);
    if (rc != 0 || create || detach || no_start) return rc;
    return follow(*client, *project, f, ctx.global, since);
}

void add_recreate_flags(CLI::App* cmd, UpFlags& f) {
    cmd->add_flag("--force-recreate", f.force_recreate,
                  "Recreate containers even if their configuration hasn't changed");
    cmd->add_flag("--no-recreate", f.no_recreate,
                  "If containers already exist, don't recreate them");
    cmd->add_flag("--remove-orphans", f.remove_orphans,
                  "Remove containers for services not defined in the Compose file");
    cmd->add_option("--scale", f.scale, "Scale SERVICE to NUM instances (SERVICE=NUM)")
        ->allow_extra_args(false);
    cmd->add_option("SERVICE", f.services, "Services");
}

}  // namespace

void add_up_commands(CLI::App& app, VerbContext ctx) {
    auto f = std::make_shared<UpFlags>();
    CLI::App* up = app.add_subcommand("up", "Create and start containers");
    up->add_flag("-d,--detach", f->detach, "Detached mode: run containers in the background");
    up->add_flag("--wait", f->wait, "Wait for services to be running|healthy");
    up->add_option("--wait-timeout", f->wait_timeout, "Maximum duration to wait, in seconds");
    up->add_flag("--no-deps", f->no_deps, "Don't start linked services");
    up->add_flag("--no-start", f->no_start, "Don't start the services after creating them");
    up->add_flag("--abort-on-container-exit", f->abort_on_exit,
                 "Stops all containers if any container was stopped");
    up->add_flag("--abort-on-container-failure", f->abort_on_failure,
                 "Stops all containers if any container exited with failure");
    up->add_option("--exit-code-from", f->exit_code_from,
                   "Return the exit code of the selected service container");
    f->timeout_opt = up->add_option("-t,--timeout", f->timeout,
                                    "Shutdown timeout in seconds when containers are recreated");
    up->add_flag("--timestamps", f->timestamps, "Show timestamps");
    up->add_option("--attach", f->attach, "Restrict attaching to the specified services")
        ->allow_extra_args(false);
    up->add_option("--no-attach", f->no_attach, "Do not attach (stream logs) to these services")
        ->allow_extra_args(false);
    add_recreate_flags(up, *f);
    up->callback([ctx, f] { ctx.exit_code = run_up(ctx, *f, false); });

    auto c = std::make_shared<UpFlags>();
    CLI::App* create = app.add_subcommand("create", "Creates containers for a service");
    c->timeout_opt = create->add_option("-t,--timeout", c->timeout, "Shutdown timeout in seconds");
    add_recreate_flags(create, *c);
    create->callback([ctx, c] { ctx.exit_code = run_up(ctx, *c, true); });
}

}  // namespace berth::cli
