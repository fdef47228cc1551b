#include "project_networks.hpp"

#include <map>
#include <vector>

#include "network_manager.hpp"
#include "scheduler/container_args.hpp"
#include "scheduler/network_checks.hpp"
#include "scheduler/network_specs.hpp"

namespace berth::daemon {

Result<void> ensure_project_networks(DaemonContext& ctx, const compose::Project& project,
                                     Progress* progress) {
    auto specs = scheduler::network_specs(project);
    if (!specs) return specs.error();
    if (specs->empty()) return {};
    if (!ctx.networks) return Error("networks are not available in this daemon");
    for (auto spec : *specs) {
        auto found = ctx.networks->find(spec.name);
        if (!found) return found.error();
        if (*found) continue;
        if (spec.external) {
            return Error("network " + spec.name + " declared as external, but could not be found");
        }
        spec.labels["com.docker.compose.project"] = project.name;
        spec.labels["com.docker.compose.network"] = spec.key;
        const std::string resource = "Network " + spec.name;
        if (progress) progress->event(resource, "Creating");
        auto made = ctx.networks->create(spec, project.name);
        if (!made) {
            if (progress) progress->event(resource, "Error", made.error().message());
            return made.error().context("create network " + spec.name);
        }
        if (progress) progress->event(resource, "Created");
    }
    return {};
}

void remove_project_networks(DaemonContext& ctx, const std::string& project, Progress& progress) {
    if (!ctx.networks) return;
    auto all = ctx.networks->list();
    if (!all) return progress.warning(all.error().message());
    for (const auto& n : *all) {
        if (n.project != project) continue;
        const std::string resource = "Network " + n.name;
        progress.event(resource, "Removing");
        if (auto r = ctx.networks->remove(n); !r) {
            progress.warning(r.error().message());
            continue;
        }
        progress.event(resource, "Removed");
    }
    // Nothing of the project is left in the kernel when down returns.
    ctx.networks->settle();
}

Result<void> check_project_addresses(const compose::Project& project,
                                     const std::vector<scheduler::DesiredService>& desired) {
    auto specs = scheduler::network_specs(project);
    if (!specs) return specs.error();
    if (specs->empty()) return {};
    std::vector<scheduler::ServiceNetworks> services;
    for (const auto& d : desired) {
        const compose::Node* node = project.service(d.name);
        if (!node || !scheduler::needs_bridge_network(*node)) continue;
        auto attachments = scheduler::service_attachments(*node);
        if (!attachments) return attachments.error().context("service \"" + d.name + "\"");
        auto ports = scheduler::service_ports(*node);
        if (!ports) return ports.error().context("service \"" + d.name + "\"");
        services.push_back({d.name, d.replicas, std::move(*attachments), std::move(*ports)});
    }
    return scheduler::check_project_networks(*specs, services);
}

Result<void> check_plan_ports(DaemonContext& ctx, const compose::Project& project,
                              const scheduler::Plan& plan) {
    if (!ctx.networks) return {};
    std::vector<scheduler::PublishedPort> wanted;
    std::set<std::string> services, own;
    for (const auto& s : plan.steps) {
        if (s.action == scheduler::Action::Create || s.action == scheduler::Action::Recreate) {
            services.insert(s.service);
        }
        if (!s.container_id.empty() &&
            (s.action == scheduler::Action::Recreate || s.action == scheduler::Action::Remove)) {
            own.insert(s.container_id);
        }
    }
    for (const auto& name : services) {
        const compose::Node* node = project.service(name);
        if (!node || !scheduler::needs_bridge_network(*node)) continue;
        auto ports = scheduler::service_ports(*node);
        if (!ports) return ports.error().context("service \"" + name + "\"");
        wanted.insert(wanted.end(), ports->begin(), ports->end());
    }
    if (wanted.empty()) return {};
    return ctx.networks->check_ports_free(wanted, own);
}

Result<void> check_plan_attachments(const compose::Project& project, const scheduler::Plan& plan) {
    std::map<std::string, int> made;  // service -> containers the plan creates
    for (const auto& s : plan.steps) {
        if (s.action == scheduler::Action::Create || s.action == scheduler::Action::Recreate) {
            ++made[s.service];
        }
    }
    std::vector<scheduler::ServiceCount> services;
    for (const auto& [name, n] : made) {
        const compose::Node* node = project.service(name);
        if (node && scheduler::needs_bridge_network(*node)) services.push_back({name, node, n});
    }
    if (services.empty()) return {};
    auto specs = scheduler::network_specs(project);
    if (!specs) return specs.error();
    return scheduler::check_attachments(*specs, services);
}

}  // namespace berth::daemon
