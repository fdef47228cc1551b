#include "lifecycle_cmds.hpp"

#include <unistd.h>

#include <iostream>
#include <memory>

namespace berth::cli {
namespace {

struct LifecycleFlags {
    std::vector<std::string> services;
    int timeout = 0;
    CLI::Option* timeout_opt = nullptr;
    std::string signal = "SIGKILL";
    bool force = false, stop_first = false, volumes = false;
    // down
    bool remove_orphans = false;
    std::string rmi;

    Body timeout_json() const {
        return timeout_opt != nullptr && timeout_opt->count() > 0 ? Body(timeout) : Body(nullptr);
    }
};

int send(const VerbContext& ctx, const ProjectRef& ref, const std::string& verb, const Body& body) {
    auto client = connect(ctx.global);
    if (!client) return fail(client.error());
    Request req = post_request(project_path(ref.name, verb), body.dump());
    return run_progress(*client, req, ctx.global);
}

int run_down(const VerbContext& ctx, const LifecycleFlags& f) {
    if (!f.rmi.empty() && f.rmi != "local" && f.rmi != "all") {
        return fail("invalid --rmi " + f.rmi + ": use local or all");
    }
    auto ref = project_ref(ctx.project);
    if (!ref) return fail(ref.error());
    Body options = {{"volumes", f.volumes},
                    {"remove_orphans", f.remove_orphans},
                    {"timeout", f.timeout_json()},
                    {"rmi", f.rmi}};
    return send(ctx, *ref, "down", {{"project", ref->model_or_null()}, {"options", options}});
}

// Asks before `rm` without -f, as docker compose does; false when the user declines.
bool confirm_removal(const ApiClient& client, const std::string& project, const LifecycleFlags& f) {
    std::string target = project_path(project, "containers") + "?all=1";
    if (!f.services.empty()) target += "&services=" + url_encode(join(f.services, ","));
    auto list = get_json(client, get_request(target));
    if (!list) return true;  // the rm request reports the failure itself
    std::vector<std::string> names;
    for (const auto& c : *list) {
        if (f.stop_first || c.value("State", "") != "running") names.push_back(c.value("Name", ""));
    }
    if (names.empty()) {
        std::cerr << "No stopped containers\n";
        return false;
    }
    std::cerr << "Going to remove " << join(names, ", ") << "\n? Are you sure? [yN] ";
    std::string answer;
    std::getline(std::cin, answer);
    return answer == "y" || answer == "Y" || answer == "yes";
}

int run_simple(const VerbContext& ctx, const std::string& verb, const LifecycleFlags& f) {
    auto ref = project_ref(ctx.project);
    if (!ref) return fail(ref.error());
    Body options = {{"timeout", f.timeout_json()},
                    {"signal", f.signal},
                    {"force", f.force},
                    {"stopped", f.stop_first},
                    {"volumes", f.volumes}};
    Body body = {{"project", ref->model_or_null()}, {"services", f.services}, {"options", options}};
    if (verb == "rm" && !f.force) {
        auto client = connect(ctx.global);
        if (!client) return fail(client.error());
        if (!confirm_removal(*client, ref->name, f)) return 0;
    }
    return send(ctx, *ref, verb, body);
}

CLI::App* simple(CLI::App& app, VerbContext ctx, const char* verb, const char* help,
                 std::shared_ptr<LifecycleFlags> f) {
    CLI::App* cmd = app.add_subcommand(verb, help);
    cmd->add_option("SERVICE", f->services, "Services");
    std::string name = verb;
    cmd->callback([ctx, f, name] { ctx.exit_code = run_simple(ctx, name, *f); });
    return cmd;
}

}  // namespace

void add_lifecycle_commands(CLI::App& app, VerbContext ctx) {
    auto d = std::make_shared<LifecycleFlags>();
    CLI::App* down = app.add_subcommand("down", "Stop and remove containers, networks");
    down->add_flag("-v,--volumes", d->volumes,
                   "Remove named volumes declared in the volumes section of the Compose file");
    down->add_flag("--remove-orphans", d->remove_orphans,
                   "Remove containers for services not defined in the Compose file");
    d->timeout_opt = down->add_option("-t,--timeout", d->timeout, "Shutdown timeout in seconds");
    down->add_option("--rmi", d->rmi, "Remove images used by services: local or all");
    down->callback([ctx, d] { ctx.exit_code = run_down(ctx, *d); });

    simple(app, ctx, "start", "Start services", std::make_shared<LifecycleFlags>());
    simple(app, ctx, "pause", "Pause services", std::make_shared<LifecycleFlags>());
    simple(app, ctx, "unpause", "Unpause services", std::make_shared<LifecycleFlags>());
    for (const char* verb : {"stop", "restart"}) {
        auto f = std::make_shared<LifecycleFlags>();
        CLI::App* cmd = simple(app, ctx, verb,
                               verb[0] == 's' ? "Stop services" : "Restart service containers", f);
        f->timeout_opt = cmd->add_option("-t,--timeout", f->timeout, "Timeout in seconds");
    }
    auto k = std::make_shared<LifecycleFlags>();
    CLI::App* kill = simple(app, ctx, "kill", "Force stop service containers", k);
    kill->add_option("-s,--signal", k->signal, "SIGNAL to send to the container")
        ->capture_default_str();
    kill->add_flag("--remove-orphans", k->remove_orphans,
                   "Remove containers for services not defined in the Compose file");

    auto r = std::make_shared<LifecycleFlags>();
    CLI::App* rm = simple(app, ctx, "rm", "Removes stopped service containers", r);
    rm->add_flag("-f,--force", r->force, "Don't ask to confirm removal");
    rm->add_flag("-s,--stop", r->stop_first, "Stop the containers, if required, before removing");
    rm->add_flag("-v,--volumes", r->volumes, "Remove any anonymous volumes attached to containers");
}

}  // namespace berth::cli
