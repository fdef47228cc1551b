// Short syntax -> long syntax for service volumes and ports.
#include <string>
#include <vector>

#include "canonical_parts.hpp"
#include "compose/ports.hpp"
#include "compose/volume_spec.hpp"
#include "tree_util.hpp"

namespace berth::compose::detail {

std::string clean_path(const std::string& p) {
    if (p.empty()) return ".";
    bool rooted = p[0] == '/';
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= p.size(); ++i) {
        if (i < p.size() && p[i] != '/') continue;
        std::string part = p.substr(start, i - start);
        start = i + 1;
        if (part.empty() || part == ".") continue;
        if (part == "..") {
            if (!parts.empty() && parts.back() != "..") {
                parts.pop_back();
            } else if (!rooted) {
                parts.push_back(part);
            }
            continue;
        }
        parts.push_back(part);
    }
    std::string out = rooted ? "/" : "";
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
    return out.empty() ? "." : out;
}

namespace {

// Keys in the order compose prints a volume mount.
Node volume_to_node(const VolumeSpec& v, const Mark& m) {
    Node n = Node::mapping(m);
    n.set("type", str(v.type, m));
    if (!v.source.empty()) n.set("source", str(v.source, m));
    if (!v.target.empty()) n.set("target", str(clean_path(v.target), m));
    if (v.read_only) n.set("read_only", Node::boolean(true, m));
    if (v.has_bind) {
        Node bind = Node::mapping(m);
        if (!v.selinux.empty()) bind.set("selinux", str(v.selinux, m));
        if (!v.propagation.empty()) bind.set("propagation", str(v.propagation, m));
        if (v.create_host_path) bind.set("create_host_path", Node::boolean(true, m));
        n.set("bind", std::move(bind));
    }
    if (v.has_volume) {
        Node vol = Node::mapping(m);
        if (v.nocopy) vol.set("nocopy", Node::boolean(true, m));
        n.set("volume", std::move(vol));
    }
    return n;
}

Node port_to_node(const PortConfig& p, const Mark& m) {
    Node n = Node::mapping(m);
    n.set("mode", str(p.mode, m));
    if (!p.host_ip.empty()) n.set("host_ip", str(p.host_ip, m));
    n.set("target", Node::integer(p.target, m));
    if (!p.published.empty()) n.set("published", str(p.published, m));
    n.set("protocol", str(p.protocol, m));
    return n;
}

}  // namespace

void canonical_volumes(Node& volumes, const std::string& path, bool keep_unparsed) {
    each_item(&volumes, [&](Node& item) {
        if (item.is_map()) return;
        if (!item.is_scalar()) {
            fail(item.mark,
                 path + ": invalid type " + item.type_name() + " for service volume mount");
        }
        Result<VolumeSpec> spec = parse_volume_spec(item.text);
        if (!spec && keep_unparsed) return;
        if (!spec) fail(item.mark, path + ": " + spec.error().message());
        item = volume_to_node(*spec, item.mark);
    });
}

void canonical_ports(Node& ports, const std::string& path, bool keep_unparsed) {
    if (!ports.is_seq())
        fail(ports.mark, path + ": invalid type " + ports.type_name() + " for port");
    Node out = Node::sequence(ports.mark);
    std::size_t index = 0;
    for (Node& item : ports.items) {
        std::string where = path + "." + std::to_string(index++);
        if (item.is_map()) {
            out.push(item);  // copied: on a kept parse error the list stays as written
            continue;
        }
        bool number = item.is_scalar() && item.type() == ScalarType::Int;
        if (!number && !item.is_string()) {
            fail(item.mark, path + ": invalid type " + item.type_name() + " for port");
        }
        std::string spec = number ? std::to_string(*item.as_int()) : item.text;
        Result<std::vector<PortConfig>> parsed = parse_port_spec(spec);
        // compose then leaves the whole list as written.
        if (!parsed && keep_unparsed && !number) return;
        if (!parsed) {
            fail(item.mark, where + ": invalid port \"" + spec + "\": " + parsed.error().message());
        }
        for (const PortConfig& p : *parsed) out.push(port_to_node(p, item.mark));
    }
    ports = std::move(out);
}

}  // namespace berth::compose::detail
