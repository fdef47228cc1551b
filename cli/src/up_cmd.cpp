#include "up_cmd.hpp"

#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <memory>
#include <optional>
#include <set>

#include "logs_cmd.hpp"
#include "up_watch.hpp"

namespace berth::cli {
namespace {

struct UpFlags {
    bool detach = false, wait = false, no_deps = false, force_recreate = false;
    bool no_recreate = false, remove_orphans = false, no_start = false,
         always_recreate_deps = false;
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

// docker compose's validateFlags: its rules and its messages.
Result<void> check_flags(UpFlags& f) {
    if (!f.exit_code_from.empty() && !f.abort_on_failure) f.abort_on_exit = true;
    if (f.abort_on_exit && f.abort_on_failure) {
        return Error(
            "--abort-on-container-failure cannot be combined with --abort-on-container-exit");
    }
    if (f.wait) {
        if (f.abort_on_exit || !f.attach.empty()) {
            return Error(
                "--wait cannot be combined with --abort-on-container-exit, --attach or "
                "--attach-dependencies");
        }
        f.detach = true;
    }
    if (f.detach && (f.abort_on_exit || f.abort_on_failure || !f.attach.empty())) {
        return Error(std::string(f.wait ? "--wait" : "--detach") +
                     " cannot be combined with --abort-on-container-exit, "
                     "--abort-on-container-failure, --attach, --attach-dependencies or --watch");
    }
    if (f.force_recreate && f.no_recreate) {
        return Error("--force-recreate and --no-recreate are incompatible");
    }
    if (f.always_recreate_deps && f.no_recreate) {
        return Error("--always-recreate-deps and --no-recreate are incompatible");
    }
    return {};
}

// What needs the loaded project: --scale's services, --exit-code-from's, --attach's.
Result<std::map<std::string, int>> check_services(const compose::Project& p, const UpFlags& f) {
    auto names = p.service_names();
    std::set<std::string> all(names.begin(), names.end());
    auto scale = parse_scale(f.scale, all);
    if (!scale) return scale.error();
    // With --no-deps the project is only the services named, as compose narrows it.
    std::set<std::string> in_up = f.no_deps && !f.services.empty()
                                      ? std::set<std::string>(f.services.begin(), f.services.end())
                                      : all;
    if (!f.exit_code_from.empty() && in_up.count(f.exit_code_from) == 0) {
        return Error("no such service: " + f.exit_code_from);
    }
    std::string missing;
    for (const auto& a : f.attach) {
        if (in_up.count(a) == 0) missing += (missing.empty() ? "" : ", ") + a;
    }
    if (!missing.empty()) return Error("cannot attach to services not included in up: " + missing);
    return scale;
}

Body up_body(const compose::Project& p, const UpFlags& f, bool no_start, int parallel,
             const std::map<std::string, int>& scale) {
    Body options = {{"services", f.services},
                    {"detach", f.detach},
                    {"no_deps", f.no_deps},
                    {"force_recreate", f.force_recreate},
                    {"always_recreate_deps", f.always_recreate_deps},
                    {"no_recreate", f.no_recreate},
                    {"remove_orphans", f.remove_orphans},
                    {"no_start", no_start},
                    {"timeout", f.timeout_opt->count() > 0 ? Body(f.timeout) : Body(nullptr)},
                    {"parallel", parallel > 0 ? parallel : 0},
                    {"scale", scale},
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

// Stops the project with progress; `kill_flag` raised meanwhile kills it instead.
int stop_project(const ApiClient& client, const compose::Project& p, const UpFlags& f,
                 const GlobalFlags& global, const volatile std::sig_atomic_t* kill_flag) {
    Body options = {{"timeout", f.timeout_opt->count() > 0 ? Body(f.timeout) : Body(nullptr)}};
    Body body = {{"project", model_json(p)}, {"services", f.services}, {"options", options}};
    Request stop = post_request(project_path(p.name, "stop"), body.dump());
    int rc = run_progress(client, stop, global, kill_flag);
    if (*kill_flag != 0) {
        body["options"] = {{"signal", "SIGKILL"}};
        Request kill = post_request(project_path(p.name, "kill"), body.dump());
        rc = run_progress(client, kill, global);
    }
    return rc;
}

// Ctrl-C while following: stop the project; a second Ctrl-C kills it instead.
int stop_after_interrupt(const ApiClient& client, const compose::Project& p, const UpFlags& f,
                         const GlobalFlags& global) {
    std::cerr << "Gracefully stopping... (press Ctrl+C again to force)\n";
    int rc = stop_project(client, p, f, global, &g_second_interrupt);
    return rc == 0 ? 130 : rc;
}

ExitPolicy exit_policy(const UpFlags& f) {
    ExitPolicy p;
    p.on_exit = f.abort_on_exit      ? Cascade::Stop
                : f.abort_on_failure ? Cascade::Fail
                                     : Cascade::Ignore;
    p.exit_code_from = f.exit_code_from;
    return p;
}

std::string unix_seconds(std::chrono::system_clock::time_point t) {
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld.%09lld", static_cast<long long>(ns / 1000000000),
                  static_cast<long long>(ns % 1000000000));
    return buf;
}

// compose's "Attaching to app-1, db-1": the attached containers, by name without the project.
Result<std::vector<std::string>> attached_names(const ApiClient& client, const std::string& project,
                                                const std::vector<std::string>& services) {
    std::string target =
        project_path(project, "containers") + "?all=1&services=" + url_encode(join(services, ","));
    auto list = get_json(client, get_request(target));
    if (!list) return list.error();
    std::vector<std::string> names;
    for (const auto& c : *list) {
        if (c.value("OneOff", false)) continue;
        names.push_back(exit_source(project, c.value("Service", ""), c.value("Name", "")));
    }
    std::sort(names.begin(), names.end());
    return names;
}

// How long the last log lines and exit lines get to arrive once the stack has ended.
constexpr std::chrono::seconds kDrainGrace{2};

// With --abort-on-container-exit / -failure: stop everything, and return the chosen exit code.
int abort_stack(const ApiClient& client, const compose::Project& p, const UpFlags& f,
                const GlobalFlags& global, UpWatch& watch) {
    std::cerr << "Aborting on container exit...\n";
    int rc = stop_project(client, p, f, global, &g_first_interrupt);
    // The stopped containers' own "exited with code" lines, as compose prints them.
    watch.finish(kDrainGrace);
    int code = watch.exit_code();
    return code != 0 ? code : rc;
}

// Why the attached run ended, once it has: the exit status.
int after_stack(const ApiClient& client, const compose::Project& p, const UpFlags& f,
                const GlobalFlags& global, UpWatch& watch) {
    if (g_first_interrupt != 0) {
        watch.finish(std::chrono::milliseconds(0));
        return stop_after_interrupt(client, p, f, global);
    }
    if (auto e = watch.failure()) return fail(*e);
    if (watch.aborted()) return abort_stack(client, p, f, global, watch);
    watch.finish(std::chrono::milliseconds(0));
    return watch.exit_code();
}

// Follows the attached services' logs until the watched containers have all exited (the
// services named, else the attached ones, as compose watches them), the stack aborts, or Ctrl-C.
int follow(const ApiClient& client, const compose::Project& p, const UpFlags& f,
           const GlobalFlags& global, std::time_t since, const std::string& since_exact) {
    LogQuery q;
    q.follow = true;
    q.since = std::to_string(since);
    q.services = attached_services(p, f);
    UpWatch watch(client, p.name, f.services.empty() ? q.services : f.services, exit_policy(f),
                  since_exact);
    if (auto r = watch.start(); !r) return fail(r.error());
    std::optional<LogFollow> logs;
    if (!q.services.empty()) {
        auto names = attached_names(client, p.name, q.services);
        if (!names) return fail(names.error());
        if (!names->empty())
            std::cout << "Attaching to " << join(*names, ", ") << "\n" << std::flush;
        LogStyle style{.color = global.color(), .timestamps = f.timestamps, .prefix = true};
        logs.emplace(client, p.name, q, style);
    }
    watch.wait(&g_first_interrupt);
    int rc = after_stack(client, p, f, global, watch);
    if (logs) {
        if (auto e = logs->finish(kDrainGrace)) return fail(*e);
    }
    return rc;
}

int run_up(const VerbContext& ctx, UpFlags f, bool create) {
    if (auto r = check_flags(f); !r) return fail(r.error());
    auto project = load_project(ctx.project, f.services);
    if (!project) return fail(project.error());
    auto scale = check_services(*project, f);
    if (!scale) return fail(scale.error());
    auto client = connect(ctx.global);
    if (!client) return fail(client.error());
    std::time_t since = std::time(nullptr);
    std::string since_exact = unix_seconds(std::chrono::system_clock::now());
    bool no_start = create || f.no_start;
    const bool detach = f.detach || f.wait;  // --wait implies --detach, as in docker compose
    if (!create && !detach && !no_start) catch_interrupts();
    Request req = post_request(project_path(project->name, create ? "create" : "up"),
                               up_body(*project, f, no_start, ctx.global.parallel, *scale).dump());
    int rc = run_progress(*client, req, ctx.global, &g_first_interrupt);
    if (g_first_interrupt != 0) return stop_after_interrupt(*client, *project, f, ctx.global);
    if (rc != 0 || create || detach || no_start) return rc;
    return follow(*client, *project, f, ctx.global, since, since_exact);
}

void add_recreate_flags(CLI::App* cmd, UpFlags& f) {
    cmd->add_flag("--force-recreate", f.force_recreate,
                  "Recreate containers even if their configuration hasn't changed");
    cmd->add_flag("--no-recreate", f.no_recreate,
                  "If containers already exist, don't recreate them. Incompatible with "
                  "--force-recreate.");
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
    up->add_flag("--always-recreate-deps", f->always_recreate_deps,
                 "Recreate dependent containers. Incompatible with --no-recreate.");
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
