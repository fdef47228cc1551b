// finalize_types(): deploy, device requests and the top-level resources.
#include <string>

#include "compose/canonical.hpp"
#include "finalize_parts.hpp"
#include "tree_util.hpp"
#include "typed_values.hpp"

namespace berth::compose {

namespace detail {

namespace {

void labels_map(Node& n) {
    to_string_map(n, NullValue::Empty);
}

void update_config(Node& u) {
    if (!u.is_map()) return;
    convert(u, "parallelism", to_int);
    // delay and monitor are plain durations in compose's model: zero is left out.
    convert_omit_zero(u, "delay", to_duration);
    convert_omit_zero(u, "monitor", to_duration);
    convert_omit_zero(u, "max_failure_ratio", to_float32);
}

void resource(Node& r) {
    if (!r.is_map()) return;
    convert_omit_zero(r, "cpus", to_float32);
    convert_omit_zero(r, "memory", to_bytes);
    convert_omit_zero(r, "pids", to_int);
    each_item(r.find("devices"), finalize_device_request);
    each_item(r.find("generic_resources"), [](Node& g) {
        if (Node* spec = g.is_map() ? g.find("discrete_resource_spec") : nullptr) {
            convert(*spec, "value", to_int);
        }
    });
}

void restart_policy(Node& p) {
    if (!p.is_map()) return;
    convert(p, "delay", to_duration);
    convert(p, "window", to_duration);
    convert(p, "max_attempts", to_int);
}

// Networks, volumes, secrets and configs declared as `name:` alone print as `name: {}`.
void resource_object(Node& r) {
    if (r.is_null()) {
        r = Node::mapping(r.mark);
        return;
    }
    if (!r.is_map()) return;
    convert(r, "driver_opts", labels_map);
    convert(r, "labels", labels_map);
    for (const char* key : {"external", "internal", "attachable"}) {
        convert_omit_zero(r, key, to_bool);
    }
    convert(r, "enable_ipv4", to_bool);
    convert(r, "enable_ipv6", to_bool);
    if (Node* ipam = r.find("ipam"); ipam && ipam->is_map()) {
        convert(*ipam, "options", labels_map);
        each_item(ipam->find("config"),
                  [](Node& pool) { convert(pool, "aux_addresses", labels_map); });
    }
}

}  // namespace

void finalize_device_request(Node& request) {
    if (!request.is_map()) return;
    convert(request, "count", to_device_count);
    convert(request, "options", labels_map);
}

void finalize_deploy(Node& deploy) {
    if (!deploy.is_map()) return;
    convert(deploy, "replicas", to_int);
    convert(deploy, "labels", labels_map);
    convert(deploy, "update_config", update_config);
    convert(deploy, "rollback_config", update_config);
    if (Node* res = deploy.find("resources"); res && res->is_map()) {
        convert(*res, "limits", resource);
        convert(*res, "reservations", resource);
    }
    convert(deploy, "restart_policy", restart_policy);
    if (Node* placement = deploy.find("placement"); placement && placement->is_map()) {
        convert_omit_zero(*placement, "max_replicas_per_node", to_int);
    }
    // resources and placement are plain structs in compose's model: printed only when set.
    for (const char* key : {"resources", "placement", "labels"}) {
        const Node* v = deploy.find(key);
        if (v != nullptr && (v->is_null() || v->empty_collection())) deploy.erase(key);
    }
}

}  // namespace detail

void finalize_types(Node& doc) {
    using namespace detail;
    if (!doc.is_map()) return;
    each_value(doc.find("services"), [](const std::string&, Node& svc) { finalize_service(svc); });
    for (const char* kind : {"networks", "volumes", "secrets", "configs"}) {
        each_value(doc.find(kind), [](const std::string&, Node& r) { resource_object(r); });
        // An empty section prints as nothing at all.
        if (const Node* section = doc.find(kind);
            section && (section->is_null() || section->empty_collection())) {
            doc.erase(kind);
        }
    }
}

}  // namespace berth::compose
