#include "compose/error.hpp"
#include "project_steps.hpp"

namespace berth::compose::detail {
namespace {

bool truthy(const Node* n) {
    return n != nullptr && n->is_scalar() && n->as_bool().value_or(false);
}

// The implied dependency points at the attribute that implies it, so errors about it (a cycle, an
// undefined service) name the user's line.
// `on` and `from` are copies: they may point into `service`, which this function changes.
void add_dependency(Node& service, std::string on, bool restart, Mark from) {
    Node* deps = service.find("depends_on");
    if (deps == nullptr || !deps->is_map()) deps = &service.set("depends_on", Node::mapping(from));
    if (deps->find(on) != nullptr) return;
    Node dep = Node::mapping(from);
    dep.set("condition", Node::string("service_started", from));
    dep.set("required", Node::boolean(true, from));
    dep.set("restart", Node::boolean(restart, from));
    deps->set(on, std::move(dep));
}

// links and `service:` namespace references imply a start-order dependency.
void implicit_dependencies(Node& service) {
    if (const Node* links = service.find("links"); links != nullptr && links->is_seq()) {
        for (const auto& link : Node(*links).items) {
            std::string name = link.text.substr(0, link.text.find(':'));
            add_dependency(service, name, true, link.mark);
        }
    }
    for (const char* ns : {"network_mode", "ipc", "pid", "uts", "cgroup"}) {
        const Node* ref = service.find(ns);
        if (ref != nullptr && ref->is_scalar() && ref->text.rfind("service:", 0) == 0) {
            add_dependency(service, ref->text.substr(8), true, ref->mark);
        }
    }
    if (const Node* from = service.find("volumes_from"); from != nullptr && from->is_seq()) {
        for (const auto& v : Node(*from).items) {
            if (v.text.rfind("container:", 0) == 0) continue;
            add_dependency(service, v.text.substr(0, v.text.find(':')), false, v.mark);
        }
    }
}

void build_defaults(Node& service) {
    Node* build = service.find("build");
    if (build == nullptr || !build->is_map()) return;
    if (build->find("context") == nullptr) build->set("context", Node::string("."));
    if (build->find("dockerfile") == nullptr && build->find("dockerfile_inline") == nullptr) {
        build->set("dockerfile", Node::string("Dockerfile"));
    }
}

// Services on no network join "default"; the default network exists only when someone uses it.
void default_network(Node& dict) {
    Node* services = dict.find("services");
    bool used = false;
    if (services != nullptr && services->is_map()) {
        for (auto& e : services->entries) {
            Node& svc = e.value;
            if (!svc.is_map() || svc.find("network_mode") != nullptr ||
                svc.find("provider") != nullptr)
                continue;
            Node* nets = svc.find("networks");
            if (nets == nullptr || !nets->is_map() || nets->entries.empty()) {
                Node m = Node::mapping();
                m.set("default", Node::null());
                svc.set("networks", std::move(m));
                used = true;
            } else if (nets->find("default") != nullptr) {
                used = true;
            }
        }
    }
    if (!used) return;
    Node* networks = dict.find("networks");
    if (networks == nullptr || !networks->is_map())
        networks = &dict.set("networks", Node::mapping());
    if (networks->find("default") == nullptr) networks->set("default", Node::null());
}

void resource_names(Node& dict, const std::string& project) {
    for (const char* kind : {"networks", "volumes", "configs", "secrets"}) {
        Node* all = dict.find(kind);
        if (all == nullptr || !all->is_map()) continue;
        for (auto& e : all->entries) {
            if (!e.value.is_map()) e.value = Node::mapping(e.value.mark);
            if (e.value.find("name") != nullptr) continue;
            bool external = truthy(e.value.find("external"));
            e.value.set("name", Node::string(external ? e.key : project + "_" + e.key));
        }
    }
}

}  // namespace

void normalize(Node& dict, const std::string& project_name) {
    default_network(dict);
    if (Node* services = dict.find("services"); services != nullptr && services->is_map()) {
        for (auto& e : services->entries) {
            Node& svc = e.value;
            if (!svc.is_map()) continue;
            if (Node* pp = svc.find("pull_policy"); pp != nullptr && pp->text == "if_not_present") {
                *pp = Node::string("missing", pp->mark);
            }
            build_defaults(svc);
            implicit_dependencies(svc);
        }
    }
    resource_names(dict, project_name);
}

}  // namespace berth::compose::detail
