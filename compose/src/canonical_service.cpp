// Short syntax -> long syntax for the attributes of one service.
#include <string>

#include "canonical_parts.hpp"
#include "tree_util.hpp"

namespace berth::compose::detail {

namespace {

// "KEY=VALUE" items folded into a mapping; used where compose folds before merging.
void key_value_list_to_map(Node& n, const std::string& path, bool keep_unparsed) {
    if (!n.is_seq()) return;
    Node map = Node::mapping(n.mark);
    for (const Node& item : n.items) {
        std::string text = scalar_text(item);
        std::size_t eq = text.find('=');
        if (eq == std::string::npos && keep_unparsed) return;
        if (eq == std::string::npos) {
            fail(item.mark, path + ": invalid value " + text + ", expected key=value");
        }
        map.set(text.substr(0, eq), str(text.substr(eq + 1), item.mark));
    }
    n = std::move(map);
}

void canonical_ssh(Node& n) {
    if (!n.is_seq()) return;
    Node map = Node::mapping(n.mark);
    for (const Node& item : n.items) {
        if (!item.is_scalar()) fail(item.mark, "invalid ssh key type " + item.type_name());
        std::size_t eq = item.text.find('=');
        if (eq == std::string::npos) {
            if (item.text != "default") fail(item.mark, "invalid ssh key \"" + item.text + "\"");
            map.set(item.text, Node::null(item.mark));
        } else {
            map.set(item.text.substr(0, eq), str(item.text.substr(eq + 1), item.mark));
        }
    }
    n = std::move(map);
}

// secrets, configs and build secrets: a bare name is {source: name}.
void canonical_file_refs(Node* seq, const std::string& path) {
    each_item(seq, [&](Node& item) {
        if (item.is_map()) return;
        if (!item.is_scalar()) fail(item.mark, path + ": unsupported type " + item.type_name());
        Node map = Node::mapping(item.mark);
        map.set("source", str(item.text, item.mark));
        item = std::move(map);
    });
}

void canonical_ulimits(Node* ulimits, const std::string& path) {
    each_value(ulimits, [&](const std::string& name, Node& v) {
        if (v.is_map() || (v.is_scalar() && v.type() == ScalarType::Int)) return;
        fail(v.mark, path + "." + name + ": invalid type " + v.type_name() + " for ulimit");
    });
}

void canonical_build(Node& build, const std::string& path, bool keep_unparsed) {
    if (build.is_scalar() && build.type() == ScalarType::String) {
        Node map = Node::mapping(build.mark);
        map.set("context", build);
        build = std::move(map);
        return;
    }
    if (!build.is_map())
        fail(build.mark, path + ": invalid type " + build.type_name() + " for build");
    if (Node* ctx = build.find("additional_contexts")) {
        key_value_list_to_map(*ctx, path + ".additional_contexts", keep_unparsed);
    }
    if (Node* ssh = build.find("ssh")) canonical_ssh(*ssh);
    canonical_file_refs(build.find("secrets"), path + ".secrets");
    canonical_ulimits(build.find("ulimits"), path + ".ulimits");
    for (const char* key : {"provenance", "sbom"}) {
        if (Node* v = build.find(key)) force_string(*v);
    }
    for (const char* key : {"cache_from", "cache_to", "tags", "platforms", "no_cache_filter"}) {
        string_to_list(build.find(key));
    }
}

void canonical_depends_on(Node& deps, const std::string& path) {
    if (deps.is_seq()) {
        Node map = Node::mapping(deps.mark);
        for (const Node& name : deps.items) {
            Node cond = Node::mapping(name.mark);
            cond.set("condition", str("service_started", name.mark));
            cond.set("required", Node::boolean(true, name.mark));
            map.set(scalar_text(name), std::move(cond));
        }
        deps = std::move(map);
        return;
    }
    if (!deps.is_map()) {
        fail(deps.mark, path + ": invalid type " + deps.type_name() + " for depend_on");
    }
    for (auto& e : deps.entries) {
        if (!e.value.is_map()) fail(e.value.mark, path + "." + e.key + ": unsupported value");
        if (!e.value.find("condition"))
            e.value.set("condition", str("service_started", e.value.mark));
        if (!e.value.find("required")) e.value.set("required", Node::boolean(true, e.value.mark));
    }
}

void canonical_env_file(Node& files, const std::string& path) {
    string_to_list(&files);
    if (!files.is_seq())
        fail(files.mark, path + ": invalid type " + files.type_name() + " for env_file");
    for (Node& item : files.items) {
        if (item.is_scalar()) {
            Node map = Node::mapping(item.mark);
            map.set("path", str(item.text, item.mark));
            map.set("required", Node::boolean(true, item.mark));
            item = std::move(map);
        } else if (item.is_map() && !item.find("required")) {
            item.set("required", Node::boolean(true, item.mark));
        }
    }
}

void canonical_extends(Node& ext, const std::string& path) {
    if (ext.is_map()) return;
    if (!ext.is_scalar())
        fail(ext.mark, path + ": invalid type " + ext.type_name() + " for extends");
    Node map = Node::mapping(ext.mark);
    map.set("service", str(ext.text, ext.mark));
    ext = std::move(map);
}

// networks and models given as a list of names: each name maps to null.
void names_to_map(Node& n) {
    if (!n.is_seq()) return;
    Node map = Node::mapping(n.mark);
    for (const Node& name : n.items) map.set(scalar_text(name), Node::null(name.mark));
    n = std::move(map);
}

void canonical_devices(Node* devices, bool keep_unparsed) {
    each_item(devices, [&](Node& item) {
        if (!item.is_scalar()) return;
        std::string spec = item.text;
        std::vector<std::string> parts;
        std::size_t start = 0;
        for (std::size_t i = 0; i <= spec.size(); ++i) {
            if (i == spec.size() || spec[i] == ':') {
                parts.push_back(spec.substr(start, i - start));
                start = i + 1;
            }
        }
        if (parts.size() > 3 && keep_unparsed) {
            parts = {""};  // compose goes on with an empty mapping, as odd as that is
        } else if (parts.size() > 3) {
            fail(item.mark, "confusing device mapping, please use long syntax: " + spec);
        }
        std::string target = parts.size() > 1 && !parts[1].empty() ? parts[1] : parts[0];
        Node map = Node::mapping(item.mark);
        map.set("source", str(parts[0], item.mark));
        map.set("target", str(target, item.mark));
        map.set("permissions", str(parts.size() == 3 ? parts[2] : "rwm", item.mark));
        item = std::move(map);
    });
}

void canonical_gpus(Node& gpus) {
    if (!gpus.is_scalar()) return;
    Node seq = Node::sequence(gpus.mark);
    Node all = Node::mapping(gpus.mark);
    all.set("count", str("all", gpus.mark));
    seq.push(std::move(all));
    gpus = std::move(seq);
}

void canonical_watch(Node* develop) {
    if (develop == nullptr || !develop->is_map()) return;
    each_item(develop->find("watch"), [](Node& rule) {
        if (!rule.is_map()) return;
        string_to_list(rule.find("ignore"));
        string_to_list(rule.find("include"));
    });
}

// compose drops empty entries from dns, so that `dns: ${UNSET}` means no dns.
void drop_empty_dns(Node* dns) {
    if (dns == nullptr || !dns->is_seq()) return;
    std::erase_if(dns->items,
                  [](const Node& n) { return n.is_null() || (n.is_string() && n.text.empty()); });
}

}  // namespace

void canonical_service(Node& svc, const std::string& path, bool keep_unparsed) {
    if (!svc.is_map()) return;
    if (Node* b = svc.find("build")) canonical_build(*b, path + ".build", keep_unparsed);
    if (Node* d = svc.find("depends_on")) canonical_depends_on(*d, path + ".depends_on");
    if (Node* f = svc.find("env_file")) canonical_env_file(*f, path + ".env_file");
    string_to_list(svc.find("label_file"));
    if (Node* e = svc.find("extends")) canonical_extends(*e, path + ".extends");
    if (Node* g = svc.find("gpus")) canonical_gpus(*g);
    if (Node* n = svc.find("networks")) names_to_map(*n);
    if (Node* m = svc.find("models")) names_to_map(*m);
    if (Node* v = svc.find("volumes")) canonical_volumes(*v, path + ".volumes", keep_unparsed);
    if (Node* p = svc.find("ports")) canonical_ports(*p, path + ".ports", keep_unparsed);
    canonical_devices(svc.find("devices"), keep_unparsed);
    canonical_file_refs(svc.find("secrets"), path + ".secrets");
    canonical_file_refs(svc.find("configs"), path + ".configs");
    canonical_ulimits(svc.find("ulimits"), path + ".ulimits");
    canonical_watch(svc.find("develop"));
    for (const char* key : {"dns", "dns_search", "tmpfs", "expose"}) {
        string_to_list(svc.find(key));
    }
    drop_empty_dns(svc.find("dns"));
}

}  // namespace berth::compose::detail
