#include "scheduler/project_graph.hpp"

namespace berth::scheduler {
namespace {

bool flag(const compose::Node& dep, const char* key, bool fallback) {
    const compose::Node* v = dep.is_map() ? dep.find(key) : nullptr;
    if (v == nullptr) return fallback;
    return v->as_bool().value_or(fallback);
}

Dependency dependency_of(const compose::Entry& e) {
    Dependency d;
    d.service = e.key;
    const compose::Node* condition = e.value.is_map() ? e.value.find("condition") : nullptr;
    if (condition != nullptr)
        d.condition = parse_condition(condition->text).value_or(Condition::Started);
    d.required = flag(e.value, "required", true);
    d.restart = flag(e.value, "restart", false);
    return d;
}

}  // namespace

std::vector<ServiceNode> service_nodes(const compose::Project& project) {
    std::vector<ServiceNode> out;
    const compose::Node* services = project.model.find("services");
    if (services == nullptr || !services->is_map()) return out;
    for (const auto& svc : services->entries) {
        ServiceNode node{svc.key, {}};
        const compose::Node* deps = svc.value.is_map() ? svc.value.find("depends_on") : nullptr;
        if (deps != nullptr && deps->is_map()) {
            for (const auto& e : deps->entries) node.depends_on.push_back(dependency_of(e));
        }
        out.push_back(std::move(node));
    }
    return out;
}

Result<Graph> project_graph(const compose::Project& project) {
    return Graph::build(service_nodes(project));
}

}  // namespace berth::scheduler
