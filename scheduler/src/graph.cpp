// Building the dependency graph and the queries that do not depend on order.
#include "scheduler/graph.hpp"

#include <algorithm>
#include <set>

namespace berth::scheduler {

namespace {

std::string quoted(const std::string& s) {
    return "\"" + s + "\"";
}

// One entry per dependency name: depends_on is a mapping in compose, so the short list syntax
// naming a service twice still means one dependency. The first spelling wins.
std::vector<Dependency> unique_sorted(const std::vector<Dependency>& deps) {
    std::vector<Dependency> out;
    for (const auto& dep : deps) {
        auto same = [&](const Dependency& d) { return d.service == dep.service; };
        if (std::none_of(out.begin(), out.end(), same)) out.push_back(dep);
    }
    std::sort(out.begin(), out.end(),
              [](const Dependency& a, const Dependency& b) { return a.service < b.service; });
    return out;
}

}  // namespace

Result<Graph> Graph::build(const std::vector<ServiceNode>& services) {
    Graph graph;
    if (auto added = graph.add_services(services); !added) return added.error();
    if (auto linked = graph.link(); !linked) return linked.error();
    if (auto acyclic = graph.check_cycles(); !acyclic) return acyclic.error();
    return graph;
}

Result<void> Graph::add_services(const std::vector<ServiceNode>& services) {
    for (const auto& service : services) {
        auto [it, inserted] = nodes_.try_emplace(service.name);
        if (!inserted) return Error("duplicate service " + quoted(service.name));
        it->second.dependencies = unique_sorted(service.depends_on);
    }
    return {};
}

// Checks every dependency names a defined service and records the reverse edges. Services and
// their dependencies are visited in name order so that the first error reported is stable.
Result<void> Graph::link() {
    for (auto& [name, vertex] : nodes_) {
        std::vector<Dependency> kept;
        for (auto& dep : vertex.dependencies) {
            auto target = nodes_.find(dep.service);
            if (target != nodes_.end()) {
                target->second.dependents.push_back(name);
                kept.push_back(std::move(dep));
                continue;
            }
            std::string what =
                "service " + quoted(name) + " depends on undefined service " + quoted(dep.service);
            if (dep.required) return Error(what);
            warnings_.push_back(what + ": ignored, the dependency is not required");
        }
        vertex.dependencies = std::move(kept);
    }
    // Dependents were appended while walking services in name order, so they are sorted already.
    return {};
}

std::vector<std::string> Graph::dependencies_closure(const std::vector<std::string>& names) const {
    std::set<std::string> seen;
    std::vector<std::string> todo;
    for (const auto& name : names) {
        if (contains(name) && seen.insert(name).second) todo.push_back(name);
    }
    while (!todo.empty()) {
        std::string name = std::move(todo.back());
        todo.pop_back();
        for (const auto& dep : nodes_.at(name).dependencies) {
            if (seen.insert(dep.service).second) todo.push_back(dep.service);
        }
    }
    return {seen.begin(), seen.end()};
}

std::vector<std::string> Graph::dependents_to_restart(const std::string& service) const {
    std::vector<std::string> out;
    auto it = nodes_.find(service);
    if (it == nodes_.end()) return out;
    for (const auto& dependent : it->second.dependents) {
        for (const auto& dep : nodes_.at(dependent).dependencies) {
            if (dep.service == service && dep.restart) out.push_back(dependent);
        }
    }
    return out;
}

const std::vector<Dependency>& Graph::dependencies(const std::string& service) const {
    static const std::vector<Dependency> none;
    auto it = nodes_.find(service);
    return it == nodes_.end() ? none : it->second.dependencies;
}

std::vector<std::string> Graph::services() const {
    std::vector<std::string> out;
    out.reserve(nodes_.size());
    for (const auto& entry : nodes_) out.push_back(entry.first);
    return out;
}

const char* to_string(Condition condition) {
    switch (condition) {
        case Condition::Started:
            return "service_started";
        case Condition::Healthy:
            return "service_healthy";
        case Condition::CompletedSuccessfully:
            return "service_completed_successfully";
    }
    return "service_started";
}

std::optional<Condition> parse_condition(std::string_view text) {
    for (auto c : {Condition::Started, Condition::Healthy, Condition::CompletedSuccessfully}) {
        if (text == to_string(c)) return c;
    }
    return std::nullopt;
}

}  // namespace berth::scheduler
