// `up` and `create`: check everything first (so bad input changes nothing), plan against the
// containers that exist, then carry the plan out in dependency order, in parallel where it may.
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "compose/hash.hpp"
#include "compose/yaml.hpp"
#include "container_ops.hpp"
#include "dependency_wait.hpp"
#include "progress.hpp"
#include "project_files.hpp"
#include "project_networks.hpp"
#include "project_ops.hpp"
#include "project_request.hpp"
#include "project_state.hpp"
#include "scheduler/container_args.hpp"
#include "scheduler/project_graph.hpp"
#include "stale_netns.hpp"
#include "stop_report.hpp"
#include "volume_store.hpp"

namespace berth::daemon {

namespace {

// --scale wins over the file's scale and deploy.replicas.
int replicas_of(const std::string& name, const compose::Node& service,
                const std::map<std::string, int>& scale) {
    if (auto it = scale.find(name); it != scale.end()) return it->second;
    if (const compose::Node* s = service.find("scale"))
        return static_cast<int>(s->as_int().value_or(1));
    const compose::Node* deploy = service.find("deploy");
    const compose::Node* r = deploy && deploy->is_map() ? deploy->find("replicas") : nullptr;
    return r ? static_cast<int>(r->as_int().value_or(1)) : 1;
}

std::string scalar_or(const compose::Node& n, const char* key, const std::string& fallback) {
    const compose::Node* v = n.find(key);
    return v && v->is_scalar() ? v->text : fallback;
}

// The services whose container's namespaces this one joins ("service:x").
std::vector<std::string> shares_with(const compose::Node& service) {
    std::vector<std::string> out;
    for (const char* key : {"network_mode", "ipc", "pid", "uts"}) {
        std::string mode = scalar_or(service, key, "");
        if (mode.rfind("service:", 0) == 0) out.push_back(mode.substr(8));
    }
    return out;
}

// The services `up` acts on: those asked for and what they depend on (unless no_deps), or all.
Result<std::set<std::string>> selected_services(const scheduler::Graph& graph,
                                                const scheduler::UpOptions& o) {
    for (const auto& s : o.services) {
        if (!graph.contains(s)) return Error("no such service: \"" + s + "\"");
    }
    auto names = o.services.empty() ? graph.services()
                 : o.no_deps        ? o.services
                                    : graph.dependencies_closure(o.services);
    return std::set<std::string>(names.begin(), names.end());
}

// Every selected service's container options are built once with placeholder paths, so that a
// service berth cannot run fails the whole request before anything is made.
Result<void> dry_run(const compose::Project& p, const std::string& service,
                     const ResolvedImage& image) {
    scheduler::ContainerContext cc;
    cc.project = p.name;
    cc.service = service;
    cc.container_name = p.name;
    cc.container_name.append("-").append(service).append("-1");
    cc.image_id = image.id;
    cc.image = image.config;
    cc.rootfs_args = {"--rootfs", "/nonexistent"};
    cc.state_dir = "/nonexistent";
    cc.host_cpus = host_cpus();
    cc.service_pid = [](const std::string&) -> Result<int> { return 1; };
    cc.shared_netns = [](const std::string&) -> Result<std::string> {
        return std::string("/nonexistent");
    };
    cc.netns_path = "/nonexistent";
    cc.volume_source = [](const std::string&, const std::string&) -> Result<std::string> {
        return std::string("/nonexistent");
    };
    cc.volumes_from = [](const std::string&) {
        return Result<std::vector<scheduler::ContainerContext::SharedMount>>(
            std::vector<scheduler::ContainerContext::SharedMount>{});
    };
    cc.file_source = [&p](const std::string& kind, const std::string& source) {
        return check_file_source(p, kind, source);
    };
    auto args = scheduler::container_args(*p.service(service), cc);
    if (!args) return args.error();
    return {};
}

Result<std::map<std::string, ServicePlanInput>> prepare_services(
    DaemonContext& ctx, const compose::Project& p, const std::set<std::string>& selected,
    const std::map<std::string, int>& scale) {
    std::map<std::string, ServicePlanInput> out;
    for (const auto& name : p.service_names()) {
        const compose::Node* node = p.service(name);
        ServicePlanInput in;
        in.desired.name = name;
        in.desired.replicas = replicas_of(name, *node, scale);
        in.desired.container_name = scalar_or(*node, "container_name", "");
        in.desired.shares_with = shares_with(*node);
        auto image = resolve_image(ctx, name, *node);
        if (image) {
            in.desired.config_hash =
                scheduler::config_hash_with_image(compose::service_config_hash(*node), image->id);
            in.image = std::move(image).value();
        } else if (selected.count(name)) {
            return image.error();
        }
        if (selected.count(name)) {
            if (auto r = dry_run(p, name, *in.image); !r) return r.error();
        }
        out.emplace(name, std::move(in));
    }
    return out;
}

struct UpRun {
    DaemonContext& ctx;
    const compose::Project& project;
    const UpRequest& req;
    const scheduler::Graph& graph;
    std::map<std::string, ServicePlanInput>& inputs;
    const ProjectContainers& actual;
    std::optional<compose::Project> previous;
    Progress& progress;

    std::string resource(const std::string& name) const { return "Container " + name; }

    // depends_on conditions, waited for inside the dependent's own step so that services that
    // do not depend on it go on meanwhile. --no-deps leaves the dependencies alone, their
    // conditions included.
    Result<void> wait_dependencies(const scheduler::Step& s) {
        if (req.options.no_start || req.options.no_deps) return {};
        return wait_for_dependencies(ctx, project.name, graph, s.service, progress);
    }

    Result<ContainerRecord> create(const scheduler::Step& s,
                                   std::map<std::string, std::string> inherited = {}) {
        const auto& in = inputs.at(s.service);
        NewContainer nc{
            s.service,           s.number, false, s.container_name, in.desired.config_hash, nullptr,
            std::move(inherited)};
        return create_container(ctx, project, *in.image, nc);
    }

    Result<void> start_new(const ContainerRecord& rec) {
        if (req.options.no_start) return {};
        progress.event(resource(rec.name), "Starting");
        if (auto r = start_container(ctx, rec); !r) return r;
        progress.event(resource(rec.name), "Started");
        return {};
    }

    std::string recreate_reason(const scheduler::Step& s) const {
        if (s.reason != "config changed" || !previous) return s.reason;
        const compose::Node* before = previous->service(s.service);
        const compose::Node* after = project.service(s.service);
        if (!before || !after) return s.reason;
        auto keys = scheduler::changed_keys(compose::hashed_service(*before),
                                            compose::hashed_service(*after));
        std::string list;
        for (const auto& k : keys) list += (list.empty() ? "" : ", ") + k;
        return list.empty() ? "image changed" : "config changed: " + list;
    }

    Result<void> run(const scheduler::Step& s) {
        switch (s.action) {
            case scheduler::Action::Keep:
                progress.event(resource(s.container_name), "Running");
                return {};
            case scheduler::Action::Create: {
                // Created first, as docker compose does: a dependency that fails leaves the
                // dependent created, not missing.
                progress.event(resource(s.container_name), "Creating");
                auto rec = create(s);
                if (!rec) return rec.error();
                progress.event(resource(s.container_name), "Created");
                if (auto r = wait_dependencies(s); !r) return r;
                return start_new(*rec);
            }
            case scheduler::Action::Recreate: {
                progress.event(resource(s.container_name), "Recreate", recreate_reason(s));
                const ContainerRecord* old = actual.by_id.at(s.container_id);
                // Read before the old record goes; the volumes themselves stay.
                auto inherited = anonymous_volumes(ctx, old->id);
                StopOutcome stopped;
                if (auto r = remove_container(ctx, *old, req.timeout, &stopped); !r) return r;
                report_stop(progress, old->name, stopped);
                auto rec = create(s, std::move(inherited));
                if (!rec) return rec.error();
                progress.event(resource(s.container_name), "Recreated");
                if (auto r = wait_dependencies(s); !r) return r;
                return start_new(*rec);
            }
            case scheduler::Action::Restart: {
                // A `restart: true` dependent of a recreated service (the planner orders it after
                // that recreation); it starts again once its conditions hold.
                const ContainerRecord* c = actual.by_id.at(s.container_id);
                progress.event(resource(c->name), "Stopping", s.reason);
                if (auto r = stop_container(ctx, *c, req.timeout); !r) return r;
                progress.event(resource(c->name), "Stopped");
                if (auto r = wait_dependencies(s); !r) return r;
                return start_new(*c);
            }
            case scheduler::Action::Start: {
                if (req.options.no_start) return {};
                if (auto r = wait_dependencies(s); !r) return r;
                return start_new(*actual.by_id.at(s.container_id));
            }
            case scheduler::Action::Stop:
            case scheduler::Action::Remove: {
                const ContainerRecord* old = actual.by_id.at(s.container_id);
                progress.event(resource(old->name), "Stopping");
                StopOutcome stopped;
                if (s.action == scheduler::Action::Stop) {
                    if (auto r = stop_container(ctx, *old, req.timeout, &stopped); !r) return r;
                    report_stop(progress, old->name, stopped);
                    progress.event(resource(old->name), "Stopped");
                    return {};
                }
                if (auto r = stop_container(ctx, *old, req.timeout); !r) return r;
                progress.event(resource(old->name), "Stopped");
                progress.event(resource(old->name), "Removing");
                if (auto r = remove_container(ctx, *old, req.timeout, &stopped); !r) return r;
                report_stop(progress, old->name, stopped);
                progress.event(resource(old->name), "Removed");
                return {};
            }
        }
        return {};
    }
};

Result<void> save_project(DaemonContext& ctx, const compose::Project& p) {
    ProjectRecord rec;
    rec.name = p.name;
    rec.model_json = compose::emit_json(p.model, -1);
    rec.config_files = p.config_files;
    rec.working_dir = p.working_dir;
    return ctx.db->put_project(rec);
}

// The containers `up` leaves running, for --wait; those of services that others wait on to
// complete are jobs meant to exit, and are not waited for, as in docker compose.
std::vector<ContainerRecord> started_containers(DaemonContext& ctx, const PreparedUp& prepared) {
    std::set<std::string> jobs;
    for (const auto& service : prepared.graph.services()) {
        for (const auto& d : prepared.graph.dependencies(service)) {
            if (d.condition == scheduler::Condition::CompletedSuccessfully) jobs.insert(d.service);
        }
    }
    std::vector<ContainerRecord> out;
    for (const auto& s : prepared.plan.steps) {
        if (s.action == scheduler::Action::Stop || s.action == scheduler::Action::Remove) continue;
        if (jobs.count(s.service)) continue;
        auto rec = ctx.db->container_by_name(s.container_name);
        if (rec && *rec) out.push_back(**rec);
    }
    return out;
}

void fail(ResponseWriter& w, const Error& e) {
    w.error(400, e.message());
}

}  // namespace

Result<PreparedUp> prepare_up(DaemonContext& ctx, const UpRequest& up) {
    const compose::Project& project = *up.project;
    auto graph = scheduler::project_graph(project);
    if (!graph) return graph.error();
    auto selected = selected_services(*graph, up.options);
    if (!selected) return selected.error();
    auto inputs = prepare_services(ctx, project, *selected, up.scale);
    if (!inputs) return inputs.error();
    auto actual = project_containers(ctx, project.name);
    if (!actual) return actual.error();
    mark_stale_shared_netns(ctx, project, *actual);
    std::vector<scheduler::DesiredService> desired;
    for (const auto& [_, in] : *inputs) desired.push_back(in.desired);
    if (auto r = check_project_addresses(project, desired); !r) return r.error();
    auto plan = scheduler::plan_up(project.name, *graph, desired, actual->actual, up.options);
    if (!plan) return plan.error();
    if (auto r = check_plan_ports(ctx, project, *plan); !r) return r.error();
    if (auto r = check_plan_attachments(project, *plan); !r) return r.error();
    if (auto r = check_project_volumes(ctx, project); !r) return r.error();
    PreparedUp out{std::move(graph).value(), std::move(inputs).value(), std::move(actual).value(),
                   std::move(plan).value()};
    // by_id points into records, which the move above kept in place; rebuild it to be sure.
    out.actual.by_id.clear();
    for (const auto& r : out.actual.records) out.actual.by_id[r.id] = &r;
    return out;
}

Result<void> execute_up(DaemonContext& ctx, const UpRequest& up, PreparedUp& prepared,
                        Progress& progress) {
    const compose::Project& project = *up.project;
    for (const auto& warning : prepared.graph.warnings()) progress.warning(warning);
    for (const auto& warning : prepared.plan.warnings) progress.warning(warning);
    auto previous = stored_project(ctx, project.name);
    if (auto r = save_project(ctx, project); !r) return r;
    if (auto r = ensure_project_networks(ctx, project, &progress); !r) return r;
    if (auto r = ensure_project_volumes(ctx, project, &progress); !r) return r;
    UpRun run{
        ctx,     project, up, prepared.graph, prepared.inputs, prepared.actual, std::move(previous),
        progress};
    auto done = run_steps(
        ctx, project.name, prepared.plan.steps, up.parallel, [&](const scheduler::Step& s) {
            auto r = run.run(s);
            if (!r) {
                progress.event("Container " + s.container_name, "Error", r.error().message());
            }
            return r;
        });
    if (!done || !up.wait || up.options.no_start) return done;
    return wait_until_up(ctx, started_containers(ctx, prepared), up.wait_timeout, progress);
}

void handle_up(DaemonContext& ctx, const HttpRequest& req, ResponseWriter& w, bool create_only) {
    const std::string name = req.params.at("name");
    if (auto r = validate_project_name(name); !r) return fail(w, r.error());
    auto parsed = parse_up_request(req.body, name);
    if (!parsed) return fail(w, parsed.error());
    UpRequest& up = *parsed;
    if (create_only) up.options.no_start = true;
    std::lock_guard lock(ctx.project_lock(name));
    auto prepared = prepare_up(ctx, up);
    if (!prepared) return fail(w, prepared.error());
    Progress progress(w);
    progress.start();
    auto done = execute_up(ctx, up, *prepared, progress);
    if (!done) return progress.result(false, 1, done.error().message());
    progress.result(true, 0);
}

}  // namespace berth::daemon
