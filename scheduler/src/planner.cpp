// plan_up and plan_down: desired services against the containers that exist, in the order of the
// dependency graph.
#include "scheduler/planner.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace berth::scheduler {

namespace {

using Containers = std::vector<ActualContainer>;

// Lowest number first; a tie (two containers claiming one number after a crash) by name, so the
// plan is the same on every run.
void sort_by_number(Containers& cs) {
    std::sort(cs.begin(), cs.end(), [](const ActualContainer& a, const ActualContainer& b) {
        if (a.oneoff != b.oneoff) return !a.oneoff;
        if (a.number != b.number) return a.number < b.number;
        return a.name < b.name;
    });
}

std::map<std::string, Containers> by_service(const Containers& actual, bool with_oneoff) {
    std::map<std::string, Containers> out;
    for (const auto& c : actual) {
        if (c.oneoff && !with_oneoff) continue;
        out[c.service].push_back(c);
    }
    for (auto& entry : out) sort_by_number(entry.second);
    return out;
}

// docker compose's wording, so scripts and habits that look for it keep working.
std::string orphan_warning(const Containers& orphans) {
    std::vector<std::string> names;
    for (const auto& c : orphans) names.push_back(c.name);
    std::sort(names.begin(), names.end());
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : " ") + n;
    return "Found orphan containers ([" + list +
           "]) for this project. If you removed or renamed this service in your compose file, you "
           "can run this command with the --remove-orphans flag to clean it up.";
}

Step existing_step(Action action, const ActualContainer& c) {
    Step s;
    s.action = action;
    s.service = c.service;
    s.number = c.number;
    s.container_id = c.id;
    s.container_name = c.name;
    return s;
}

// Orphans are the project's containers (not one-off) whose service the project no longer has.
void add_orphans(Plan& plan, const Containers& orphans, Action action, bool remove) {
    plan.orphans = orphans;
    if (orphans.empty()) return;
    if (!remove) {
        plan.warnings.push_back(orphan_warning(orphans));
        return;
    }
    for (const auto& c : orphans) plan.steps.push_back(existing_step(action, c));
}

// The services `up` works on: the named ones and, unless no_deps, what they depend on.
Result<std::vector<std::string>> selected_services(const Graph& graph,
                                                   const std::vector<DesiredService>& desired,
                                                   const UpOptions& options) {
    std::set<std::string> known;
    for (const auto& s : desired) known.insert(s.name);
    if (options.services.empty()) return std::vector<std::string>(known.begin(), known.end());
    for (const auto& name : options.services) {
        if (known.count(name) == 0) return Error("no such service: \"" + name + "\"");
    }
    std::vector<std::string> names =
        options.no_deps ? options.services : graph.dependencies_closure(options.services);
    std::set<std::string> chosen;
    for (const auto& name : names) {
        if (known.count(name) != 0) chosen.insert(name);
    }
    return std::vector<std::string>(chosen.begin(), chosen.end());
}

// Dependencies first, by graph level; services the graph does not know (it was built without
// them) come last, in name order.
std::vector<std::string> start_order(const Graph& graph, const std::vector<std::string>& selected) {
    std::set<std::string> pending(selected.begin(), selected.end());
    std::vector<std::string> order;
    for (const auto& level : graph.up_levels()) {
        for (const auto& name : level) {
            if (pending.erase(name) != 0) order.push_back(name);
        }
    }
    order.insert(order.end(), pending.begin(), pending.end());
    return order;
}

// docker compose's recreate strategies: diverged (recreate what changed), force, never.
enum class Recreate { Diverged, Force, Never };

Recreate strategy_for(const std::string& service, const UpOptions& o) {
    if (o.no_recreate) return Recreate::Never;
    bool named = o.services.empty() ||
                 std::find(o.services.begin(), o.services.end(), service) != o.services.end();
    bool force = named ? o.force_recreate : o.always_recreate_deps;
    return force ? Recreate::Force : Recreate::Diverged;
}

// What one service's containers are measured against.
struct ServiceTarget {
    const DesiredService& want;
    Recreate strategy;
    std::string parent_recreated;  // a service whose namespaces it joins and that is recreated
};

// Why the container must be recreated, or "" when it may stay.
std::string recreate_reason(const ActualContainer& c, const ServiceTarget& t) {
    switch (t.strategy) {
        case Recreate::Never:
            return "";
        case Recreate::Force:
            return "forced";
        case Recreate::Diverged:
            break;
    }
    if (!t.parent_recreated.empty()) return t.parent_recreated + " recreated";
    return c.config_hash != t.want.config_hash ? "config changed" : "";
}

// What to do with one container that stays.
Step converge_existing(const ActualContainer& c, const ServiceTarget& t, const std::string& project,
                       const UpOptions& options) {
    if (std::string reason = recreate_reason(c, t); !reason.empty()) {
        Step s = existing_step(Action::Recreate, c);
        s.container_name = container_name(project, t.want, c.number);
        s.reason = std::move(reason);
        return s;
    }
    bool running = c.state == RunState::Running;
    return existing_step(running || options.no_start ? Action::Keep : Action::Start, c);
}

// New replicas take the lowest free numbers, so a gap left by a removed container is filled
// before the count goes up.
std::vector<int> free_numbers(const Containers& kept, int count) {
    std::set<int> used;
    for (const auto& c : kept) used.insert(c.number);
    std::vector<int> out;
    for (int n = 1; static_cast<int>(out.size()) < count; ++n) {
        if (used.count(n) == 0) out.push_back(n);
    }
    return out;
}

// Scaling down keeps the up-to-date containers with the lowest numbers: outdated ones go first
// (they would be recreated anyway), then the highest numbers, as docker compose picks them.
Containers removal_last(Containers existing, const ServiceTarget& t) {
    std::stable_partition(existing.begin(), existing.end(),
                          [&](const ActualContainer& c) { return recreate_reason(c, t).empty(); });
    return existing;
}

// One service's steps: extra replicas removed, the rest converged, missing ones created.
std::vector<Step> service_steps(const std::string& project, const ServiceTarget& t,
                                Containers existing, const UpOptions& options) {
    std::vector<Step> steps;
    std::size_t replicas = static_cast<std::size_t>(std::max(t.want.replicas, 0));
    existing = removal_last(std::move(existing), t);
    for (std::size_t i = existing.size(); i > replicas; --i) {
        Step s = existing_step(Action::Remove, existing[i - 1]);
        s.reason = "scale down";
        steps.push_back(s);
    }
    if (existing.size() > replicas) existing.resize(replicas);
    sort_by_number(existing);
    for (const auto& c : existing) steps.push_back(converge_existing(c, t, project, options));
    int missing = static_cast<int>(replicas - existing.size());
    for (int number : free_numbers(existing, missing)) {
        Step s;
        s.action = Action::Create;
        s.service = t.want.name;
        s.number = number;
        s.container_name = container_name(project, t.want, number);
        steps.push_back(s);
    }
    return steps;
}

// docker compose's wording: one name cannot be given to several containers.
Result<void> check_scale(const DesiredService& s) {
    if (s.replicas <= 1 || s.container_name.empty()) return {};
    return Error("WARNING: The \"" + s.name + "\" service is using the custom container name \"" +
                 s.container_name +
                 "\". Docker requires each container to have a unique name. Remove the custom "
                 "name to scale the service");
}

// compose restarts (not recreates) a running dependent whose depends_on entry says restart: true
// when that dependency is recreated.
void restart_for_recreated(std::vector<Step>& steps, const std::vector<Dependency>& deps,
                           const std::set<std::string>& recreated) {
    for (const auto& d : deps) {
        if (!d.restart || recreated.count(d.service) == 0) continue;
        for (Step& s : steps) {
            if (s.action != Action::Keep) continue;
            s.action = Action::Restart;
            s.reason = "dependency " + d.service + " recreated";
        }
    }
}

std::string recreated_parent(const DesiredService& s, const std::set<std::string>& recreated) {
    for (const auto& parent : s.shares_with) {
        if (recreated.count(parent) != 0) return parent;
    }
    return "";
}

}  // namespace

Result<Plan> plan_up(const std::string& project, const Graph& graph,
                     const std::vector<DesiredService>& desired,
                     const std::vector<ActualContainer>& actual, const UpOptions& options) {
    auto selected = selected_services(graph, desired, options);
    if (!selected) return selected.error();
    std::map<std::string, const DesiredService*> wanted;
    for (const auto& s : desired) wanted[s.name] = &s;

    Plan plan;
    auto existing = by_service(actual, false);
    Containers orphans;
    for (const auto& entry : existing) {
        if (wanted.count(entry.first) != 0) continue;
        orphans.insert(orphans.end(), entry.second.begin(), entry.second.end());
    }
    add_orphans(plan, orphans, Action::Remove, options.remove_orphans);

    // A service's steps wait for every step of the services it depends on that are in this plan
    // (all their replicas), and for nothing else: no level barrier.
    std::map<std::string, std::vector<std::size_t>> steps_of;
    std::set<std::string> recreated;
    for (const auto& name : start_order(graph, selected.value())) {
        const DesiredService& want = *wanted.at(name);
        if (auto r = check_scale(want); !r) return r.error();
        ServiceTarget target{want, strategy_for(name, options), recreated_parent(want, recreated)};
        std::vector<std::size_t> after;
        for (const auto& dep : graph.dependencies(name)) {
            auto found = steps_of.find(dep.service);
            if (found == steps_of.end()) continue;
            after.insert(after.end(), found->second.begin(), found->second.end());
        }
        std::sort(after.begin(), after.end());
        auto steps = service_steps(project, target, existing[name], options);
        if (!options.no_start) restart_for_recreated(steps, graph.dependencies(name), recreated);
        for (Step& s : steps) {
            if (s.action == Action::Recreate) recreated.insert(name);
            s.after = after;
            // Dependents wait for the replicas that stay, not for the extra ones going away.
            if (s.action != Action::Remove) steps_of[name].push_back(plan.steps.size());
            plan.steps.push_back(std::move(s));
        }
    }
    return plan;
}

Plan plan_down(const Graph& graph, const std::vector<ActualContainer>& actual, Action action,
               const std::vector<std::string>& services, bool remove_orphans) {
    std::set<std::string> only(services.begin(), services.end());
    auto existing = by_service(actual, action == Action::Remove);
    bool graph_known = !graph.services().empty();

    Plan plan;
    Containers orphans;
    Containers loose;  // one-off containers of a service the project no longer has
    std::vector<std::string> known;
    for (const auto& entry : existing) {
        if (!only.empty() && only.count(entry.first) == 0) continue;
        if (!graph_known || graph.contains(entry.first)) {
            known.push_back(entry.first);
            continue;
        }
        for (const auto& c : entry.second) (c.oneoff ? loose : orphans).push_back(c);
    }

    // Dependents first: down_levels puts a service after everything that depends on it, so each
    // `after` points at steps already emitted.
    std::vector<std::string> order = graph_known ? std::vector<std::string>{} : known;
    for (const auto& level : graph.down_levels()) {
        for (const auto& name : level) {
            if (std::find(known.begin(), known.end(), name) != known.end()) order.push_back(name);
        }
    }
    std::map<std::string, std::vector<std::size_t>> steps_of;
    for (const auto& name : order) {
        std::vector<std::size_t> after;
        for (const auto& other : graph.services()) {
            const auto& deps = graph.dependencies(other);
            bool depends = std::any_of(deps.begin(), deps.end(),
                                       [&](const Dependency& d) { return d.service == name; });
            auto found = steps_of.find(other);
            if (depends && found != steps_of.end()) {
                after.insert(after.end(), found->second.begin(), found->second.end());
            }
        }
        std::sort(after.begin(), after.end());
        for (const auto& c : existing[name]) {
            Step s = existing_step(action, c);
            s.after = after;
            steps_of[name].push_back(plan.steps.size());
            plan.steps.push_back(std::move(s));
        }
    }
    for (const auto& c : loose) plan.steps.push_back(existing_step(action, c));
    add_orphans(plan, orphans, action, remove_orphans);
    return plan;
}

}  // namespace berth::scheduler
