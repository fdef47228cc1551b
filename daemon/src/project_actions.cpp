// down, and the verbs on existing containers: start, stop, restart, kill, pause, unpause, rm.
#include <algorithm>
#include <set>

#include "container_ops.hpp"
#include "dependency_wait.hpp"
#include "images/images.hpp"
#include "progress.hpp"
#include "project_networks.hpp"
#include "project_ops.hpp"
#include "project_request.hpp"
#include "project_state.hpp"
#include "restart_manager.hpp"
#include "stop_report.hpp"
#include "volume_store.hpp"

namespace berth::daemon {

namespace {

std::string resource(const std::string& name) {
    return "Container " + name;
}

// The containers a verb acts on: those of `services` (all when empty), one-offs excluded
// except for down.
std::vector<scheduler::ActualContainer> filter(const std::vector<scheduler::ActualContainer>& all,
                                               const std::vector<std::string>& services,
                                               bool with_oneoff) {
    std::set<std::string> wanted(services.begin(), services.end());
    std::vector<scheduler::ActualContainer> out;
    for (const auto& a : all) {
        if (a.oneoff && !with_oneoff) continue;
        if (!wanted.empty() && !wanted.count(a.service)) continue;
        out.push_back(a);
    }
    return out;
}

// Unknown service names are an error before anything happens, as in docker compose.
Result<void> check_services(const scheduler::Graph& graph, const ActionRequest& r) {
    if (graph.services().empty()) return {};
    for (const auto& s : r.services) {
        if (!graph.contains(s)) return Error("no such service: \"" + s + "\"");
    }
    return {};
}

// `restart SERVICE` restarts too the services that declare `restart: true` on it, and theirs.
void add_restart_dependents(const scheduler::Graph& graph, std::vector<std::string>& services) {
    if (services.empty()) return;
    std::set<std::string> seen(services.begin(), services.end());
    for (std::size_t i = 0; i < services.size(); ++i) {
        for (const auto& d : graph.dependents_to_restart(services[i])) {
            if (seen.insert(d).second) services.push_back(d);
        }
    }
}

bool running(scheduler::RunState s) {
    return s == scheduler::RunState::Running || s == scheduler::RunState::Paused;
}

struct ActionRun {
    DaemonContext& ctx;
    const ActionRequest& req;
    const ProjectContainers& pc;
    Progress& progress;
    const scheduler::Graph* graph = nullptr;  // for depends_on conditions on start

    const ContainerRecord& rec(const scheduler::Step& s) const {
        return *pc.by_id.at(s.container_id);
    }

    Result<void> stop(const scheduler::Step& s) {
        progress.event(resource(s.container_name), "Stopping");
        StopOutcome outcome;
        if (auto r = stop_container(ctx, rec(s), req.timeout, &outcome); !r) return r;
        report_stop(progress, s.container_name, outcome);
        progress.event(resource(s.container_name), "Stopped");
        return {};
    }
    Result<void> remove(const scheduler::Step& s) {
        if (auto r = stop(s); !r) return r;
        return remove_stopped(s);
    }
    Result<void> remove_stopped(const scheduler::Step& s) {
        progress.event(resource(s.container_name), "Removing");
        if (auto r = remove_container(ctx, rec(s), req.timeout, nullptr, req.volumes); !r) {
            return r;
        }
        progress.event(resource(s.container_name), "Removed");
        return {};
    }
    Result<void> start(const scheduler::Step& s) {
        if (graph) {
            auto ready = wait_for_dependencies(ctx, rec(s).project, *graph, s.service, progress);
            if (!ready) return ready;
        }
        progress.event(resource(s.container_name), "Starting");
        if (auto r = start_container(ctx, rec(s)); !r) return r;
        progress.event(resource(s.container_name), "Started");
        return {};
    }
    Result<void> kill(const scheduler::Step& s) {
        progress.event(resource(s.container_name), "Killing");
        if (ctx.restarts) ctx.restarts->user_killed(s.container_id, req.signal);
        if (auto r = ctx.runtime->kill(s.container_id, req.signal); !r) return r;
        auto attrs = event_attributes(rec(s));
        attrs["signal"] = req.signal;
        ctx.events->publish("kill", s.container_id, attrs);
        progress.event(resource(s.container_name), "Killed");
        return {};
    }
    Result<void> pause(const scheduler::Step& s, bool freeze) {
        progress.event(resource(s.container_name), freeze ? "Pausing" : "Unpausing");
        if (auto r = ctx.runtime->pause(s.container_id, freeze); !r) return r;
        ctx.events->publish(freeze ? "pause" : "unpause", s.container_id, event_attributes(rec(s)));
        progress.event(resource(s.container_name), freeze ? "Paused" : "Unpaused");
        return {};
    }
};

// A stop is a wait for processes in containers to exit, not work for berthd: unless daemon.json
// sets a bound, every stop the graph allows runs at once (docker compose's default), where the
// start bound of 4 per CPU would make ten services stop in two waves.
int stop_parallel(const DaemonContext& ctx, const std::vector<scheduler::Step>& steps) {
    if (ctx.cfg.parallel > 0) return ctx.cfg.parallel;
    return static_cast<int>(std::max<std::size_t>(steps.size(), 1));
}

Result<void> run_logged(DaemonContext& ctx, const std::string& project,
                        const std::vector<scheduler::Step>& steps, Progress& progress,
                        const std::function<Result<void>(const scheduler::Step&)>& fn,
                        int parallel = 0) {
    return run_steps(ctx, project, steps, parallel, [&](const scheduler::Step& s) {
        auto r = fn(s);
        if (!r) progress.event(resource(s.container_name), "Error", r.error().message());
        return r;
    });
}

std::vector<scheduler::Step> only(std::vector<scheduler::Step> steps,
                                  const std::function<bool(const scheduler::Step&)>& keep,
                                  const ProjectContainers&) {
    // Dropping steps would break `after` indexes; turn the dropped ones into no-ops instead.
    for (auto& s : steps) {
        if (!keep(s)) s.action = scheduler::Action::Keep;
    }
    return steps;
}

// down's Remove steps as a stop and a removal each. The stops keep the plan's order (a service
// stops after the services that depend on it have stopped); each removal waits only for its own
// stop, so a dependency's stop never waits for its dependents' removals.
std::vector<scheduler::Step> stop_then_remove(const std::vector<scheduler::Step>& steps) {
    const std::size_t n = steps.size();
    std::vector<scheduler::Step> out = steps;
    out.reserve(2 * n);
    for (std::size_t i = 0; i < n; ++i) {
        if (steps[i].action != scheduler::Action::Remove) continue;
        out[i].action = scheduler::Action::Stop;
        scheduler::Step removal = steps[i];
        removal.after = {i};
        out.push_back(std::move(removal));
    }
    return out;
}

Result<void> remove_images(DaemonContext& ctx, const compose::Project* p, const std::string& rmi,
                           Progress& progress) {
    if (rmi.empty()) return {};
    if (rmi != "all" && rmi != "local") return Error("--rmi takes \"local\" or \"all\"");
    // Images berth builds have no custom tag; building comes later, so "local" has none yet.
    if (rmi == "local" || !p) return {};
    std::set<std::string> refs;
    for (const auto& name : p->service_names()) {
        const compose::Node* image = p->service(name)->find("image");
        if (image && image->is_scalar()) refs.insert(image->text);
    }
    std::string errors;
    for (const auto& ref : refs) {
        std::lock_guard lock(ctx.store_mu);
        auto r = images::remove_image(*ctx.store, ref);
        if (r) {
            progress.event("Image " + ref, "Removed");
        } else {
            errors += (errors.empty() ? "" : "; ") + r.error().message();
        }
    }
    if (!errors.empty()) return Error(errors);
    return {};
}

}  // namespace

void handle_down(DaemonContext& ctx, const HttpRequest& req, ResponseWriter& w) {
    const std::string name = req.params.at("name");
    if (auto r = validate_project_name(name); !r) return w.error(400, r.error().message());
    auto parsed = parse_action_request(req.body, name);
    if (!parsed) return w.error(400, parsed.error().message());
    std::lock_guard lock(ctx.project_lock(name));
    auto pc = project_containers(ctx, name);
    if (!pc) return w.error(500, pc.error().message());
    std::optional<compose::Project> model = parsed->project;
    if (!model) model = stored_project(ctx, name);
    auto graph = graph_for(ctx, name, model ? &*model : nullptr);
    // Without any model every container is the project's; with one, the others are orphans.
    bool remove_orphans = parsed->remove_orphans || !model;
    auto plan =
        scheduler::plan_down(graph, pc->actual, scheduler::Action::Remove, {}, remove_orphans);

    Progress progress(w);
    progress.start();
    for (const auto& warning : plan.warnings) progress.warning(warning);
    ActionRun run{ctx, *parsed, *pc, progress};
    auto steps = stop_then_remove(plan.steps);
    auto done = run_logged(
        ctx, name, steps, progress,
        [&](const scheduler::Step& s) {
            if (s.action == scheduler::Action::Stop) return run.stop(s);
            if (s.action == scheduler::Action::Remove) return run.remove_stopped(s);
            return Result<void>();
        },
        stop_parallel(ctx, steps));
    remove_project_networks(ctx, name, progress);
    if (parsed->volumes) remove_project_volumes(ctx, name, model ? &*model : nullptr, progress);
    auto images = remove_images(ctx, model ? &*model : nullptr, parsed->rmi, progress);
    auto left = ctx.db->containers(name);
    if (left && left->empty()) (void)ctx.db->remove_project(name);
    if (!done) return progress.result(false, 1, done.error().message());
    if (!images) return progress.result(false, 1, images.error().message());
    progress.result(true, 0);
}

void handle_action(DaemonContext& ctx, const HttpRequest& req, ResponseWriter& w,
                   const std::string& verb) {
    const std::string name = req.params.at("name");
    if (auto r = validate_project_name(name); !r) return w.error(400, r.error().message());
    auto parsed = parse_action_request(req.body, name);
    if (!parsed) return w.error(400, parsed.error().message());
    std::lock_guard lock(ctx.project_lock(name));
    auto pc = project_containers(ctx, name);
    if (!pc) return w.error(500, pc.error().message());
    auto graph = graph_for(ctx, name, parsed->project ? &*parsed->project : nullptr);
    if (auto r = check_services(graph, *parsed); !r) return w.error(400, r.error().message());
    if (verb == "restart") add_restart_dependents(graph, parsed->services);
    auto targets = filter(pc->actual, parsed->services, verb == "rm");
    if (targets.empty() && verb == "start") {
        return w.error(404, "no containers to start for project \"" + name + "\"");
    }
    std::map<std::string, scheduler::RunState> state;
    for (const auto& a : targets) state[a.id] = a.state;

    Progress progress(w);
    progress.start();
    ActionRun run{ctx, *parsed, *pc, progress, &graph};
    auto down = [&](scheduler::Action a) {
        return scheduler::plan_down(graph, targets, a, parsed->services, true).steps;
    };
    Result<void> done;
    if ((verb == "stop" || verb == "restart") && ctx.restarts) {
        // Also those not running: one waiting out its restart backoff must stay stopped.
        for (const auto& a : targets) ctx.restarts->user_stopped(a.id);
    }
    if (verb == "stop" || verb == "restart") {
        auto steps = only(
            down(scheduler::Action::Stop),
            [&](const scheduler::Step& s) { return running(state[s.container_id]); }, *pc);
        done = run_logged(
            ctx, name, steps, progress,
            [&](const scheduler::Step& s) {
                return s.action == scheduler::Action::Keep ? Result<void>() : run.stop(s);
            },
            stop_parallel(ctx, steps));
    }
    if (done && (verb == "start" || verb == "restart")) {
        auto steps = forward_steps(graph, targets, scheduler::Action::Start);
        if (verb == "start") {
            steps = only(
                steps, [&](const scheduler::Step& s) { return !running(state[s.container_id]); },
                *pc);
        }
        done = run_logged(ctx, name, steps, progress, [&](const scheduler::Step& s) {
            return s.action == scheduler::Action::Keep ? Result<void>() : run.start(s);
        });
    } else if (verb == "kill" || verb == "pause" || verb == "unpause") {
        auto steps =
            forward_steps(scheduler::Graph::build({}).value(), targets, scheduler::Action::Stop);
        steps = only(
            steps,
            [&](const scheduler::Step& s) {
                auto st = state[s.container_id];
                if (verb == "unpause") return st == scheduler::RunState::Paused;
                return st == scheduler::RunState::Running;
            },
            *pc);
        done = run_logged(ctx, name, steps, progress, [&](const scheduler::Step& s) {
            if (s.action == scheduler::Action::Keep) return Result<void>();
            if (verb == "kill") return run.kill(s);
            return run.pause(s, verb == "pause");
        });
    } else if (verb == "rm") {
        auto steps = down(scheduler::Action::Remove);
        steps = only(
            steps,
            [&](const scheduler::Step& s) {
                return parsed->stopped || !running(state[s.container_id]);
            },
            *pc);
        done = run_logged(
            ctx, name, steps, progress,
            [&](const scheduler::Step& s) {
                return s.action == scheduler::Action::Keep ? Result<void>() : run.remove(s);
            },
            stop_parallel(ctx, steps));
    }
    if (!done) return progress.result(false, 1, done.error().message());
    progress.result(true, 0);
}

}  // namespace berth::daemon
