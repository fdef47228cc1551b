// network_mode, ipc, pid and uts → --net host and --join-ns.
#include "container_args_parts.hpp"

namespace berth::scheduler::detail {
namespace {

using compose::Node;

// The engine's monitor opens join paths itself before clone(), so /proc/self names the
// namespaces berthd runs in: the "host" of Docker's ipc/pid/uts: host.
std::string host_ns(const char* kind) {
    return std::string("/proc/self/ns/") + kind;
}

Result<std::string> service_ns(const ArgsBuilder& b, const char* attr, const std::string& other,
                               const char* kind) {
    if (!b.ctx.service_pid) return b.fail(std::string(attr) + ": no running service " + other);
    auto pid = b.ctx.service_pid(other);
    if (!pid) {
        return b.fail(std::string(attr) + " service:" + other + ": " + pid.error().message());
    }
    return "/proc/" + std::to_string(*pid) + "/ns/" + kind;
}

// "host", "service:x", or the attribute's private spellings; container:x is not supported.
Result<std::optional<std::string>> join_path(const ArgsBuilder& b, const char* attr,
                                             const char* kind,
                                             std::initializer_list<const char*> private_modes) {
    const Node* n = b.get(attr);
    if (n == nullptr || n->text.empty()) return std::optional<std::string>();
    const std::string& mode = n->text;
    for (const char* p : private_modes) {
        if (mode == p) return std::optional<std::string>();
    }
    if (mode == "host") return std::optional<std::string>(host_ns(kind));
    if (mode.rfind("service:", 0) == 0) {
        auto path = service_ns(b, attr, mode.substr(8), kind);
        if (!path) return path.error();
        return std::optional<std::string>(*path);
    }
    if (mode.rfind("container:", 0) == 0) {
        return b.fail(std::string(attr) + " \"" + mode + "\" is not supported yet (use service:)");
    }
    return b.fail(std::string(attr) + " \"" + mode + "\" is not supported");
}

Result<void> add_network(ArgsBuilder& b) {
    const Node* mode = b.get("network_mode");
    const std::string m = mode ? mode->text : "";
    const bool has_ports = b.get("ports") != nullptr;
    if (needs_bridge_network(b.service)) {
        if (b.ctx.netns_path.empty()) {
            return b.fail("no network namespace was made for the service's networks");
        }
        b.add("--join-ns", "net:" + b.ctx.netns_path);
        return {};
    }
    if (m == "host") {
        b.shared_net = true;
        b.add("--net", "host");
        if (has_ports) {
            b.warnings.push_back("service \"" + b.ctx.service +
                                 "\": published ports are discarded with network_mode host");
        }
        return {};
    }
    const bool shared = m.rfind("service:", 0) == 0 || m.rfind("container:", 0) == 0;
    if (m != "none" && !shared) return b.fail("network_mode \"" + m + "\" is not supported");
    if (has_ports) {
        return b.fail(m == "none" ? "ports need a network; network_mode none has none"
                                  : "conflicting options: port publishing and the container "
                                    "type network mode");
    }
    if (m == "none") return {};  // a namespace of its own with only lo
    if (!b.ctx.shared_netns) return b.fail("network_mode \"" + m + "\": no container to join");
    auto path = b.ctx.shared_netns(m);
    if (!path) return b.fail("network_mode " + m + ": " + path.error().message());
    b.shared_net = true;
    b.add("--join-ns", "net:" + *path);
    return {};
}

}  // namespace

Result<void> add_namespaces(ArgsBuilder& b) {
    if (auto ok = add_network(b); !ok) return ok;
    struct Kind {
        const char* attr;
        const char* kind;
        std::initializer_list<const char*> private_modes;
        bool* shared;
    };
    bool shared_pid = false;
    for (const Kind& k :
         {Kind{"ipc", "ipc", {"private", "shareable"}, &b.shared_ipc},
          Kind{"pid", "pid", {}, &shared_pid}, Kind{"uts", "uts", {}, &b.shared_uts}}) {
        auto path = join_path(b, k.attr, k.kind, k.private_modes);
        if (!path) return path.error();
        if (!*path) continue;
        *k.shared = true;
        b.add("--join-ns", std::string(k.kind) + ":" + **path);
    }
    return {};
}

}  // namespace berth::scheduler::detail
