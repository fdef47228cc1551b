#include "compose/canonical.hpp"

#include <string>

#include "canonical_parts.hpp"
#include "tree_util.hpp"

namespace berth::compose {

namespace detail {

namespace {

// The legacy `external: {name: x}` becomes `name: x` + `external: true`.
void canonical_external(Node& resource, const std::string& path) {
    if (!resource.is_map()) return;
    Node* ext = resource.find("external");
    if (ext == nullptr || !ext->is_map()) return;
    Node legacy = *ext;
    *ext = Node::boolean(true, ext->mark);
    const Node* ext_name = legacy.find("name");
    if (ext_name == nullptr) return;
    if (const Node* name = resource.find("name")) {
        if (*name != *ext_name)
            fail(name->mark, path + ": name and external.name conflict; only use name");
        return;
    }
    // Printed before `external`, as compose does.
    Entry entry{"name", ext_name->mark, *ext_name, true};
    for (std::size_t i = 0; i < resource.entries.size(); ++i) {
        if (resource.entries[i].key == "external") {
            resource.entries.insert(resource.entries.begin() + static_cast<std::ptrdiff_t>(i),
                                    entry);
            return;
        }
    }
}

void canonical_include(Node* include) {
    each_item(include, [](Node& item) {
        if (item.is_map()) return;
        if (!item.is_scalar()) fail(item.mark, "include: invalid type " + item.type_name());
        Node map = Node::mapping(item.mark);
        map.set("path", str(item.text, item.mark));
        item = std::move(map);
    });
}

void default_device_count(Node& request) {
    if (!request.is_map()) return;
    if (!request.find("count") && !request.find("device_ids")) {
        request.set("count", str("all", request.mark));
    }
}

}  // namespace

// What compose's SetDefaultValues fills in at load time, before merging.
void set_service_defaults(Node& svc) {
    if (!svc.is_map()) return;
    if (Node* build = svc.find("build"); build && build->is_map() && !build->find("context")) {
        build->set("context", str(".", build->mark));
    }
    each_item(svc.find("secrets"), [](Node& s) {
        if (!s.is_map() || s.find("target")) return;
        const Node* source = s.find("source");
        s.set("target", str("/run/secrets/" + (source ? scalar_text(*source) : ""), s.mark));
    });
    each_item(svc.find("ports"), [](Node& p) {
        if (!p.is_map()) return;
        if (!p.find("protocol")) p.set("protocol", str("tcp", p.mark));
        if (!p.find("mode")) p.set("mode", str("ingress", p.mark));
    });
    each_item(svc.find("volumes"), [](Node& v) {
        Node* bind = v.is_map() ? v.find("bind") : nullptr;
        if (bind == nullptr) return;
        if (!bind->is_map())
            fail(bind->mark, "invalid type " + bind->type_name() + " for service volume bind");
        if (!bind->find("create_host_path"))
            bind->set("create_host_path", Node::boolean(true, bind->mark));
    });
    each_item(svc.find("gpus"), default_device_count);
    if (Node* deploy = svc.find("deploy"); deploy && deploy->is_map()) {
        Node* res = deploy->find("resources");
        Node* reservations = res && res->is_map() ? res->find("reservations") : nullptr;
        if (reservations && reservations->is_map()) {
            each_item(reservations->find("devices"), default_device_count);
        }
    }
}

}  // namespace detail

void set_default_values(Node& doc) {
    if (!doc.is_map()) return;
    detail::each_value(doc.find("services"),
                       [](const std::string&, Node& svc) { detail::set_service_defaults(svc); });
}

void canonicalize(Node& doc, const CanonicalOptions& options) {
    using namespace detail;
    if (!doc.is_map()) return;
    each_value(doc.find("services"), [&](const std::string& name, Node& svc) {
        canonical_service(svc, "services." + name, options.keep_unparsed);
    });
    for (const char* kind : {"volumes", "networks", "secrets", "configs"}) {
        each_value(doc.find(kind), [&](const std::string& name, Node& resource) {
            canonical_external(resource, std::string(kind) + "." + name);
        });
    }
    canonical_include(doc.find("include"));
    if (options.set_defaults) set_default_values(doc);
}

}  // namespace berth::compose
