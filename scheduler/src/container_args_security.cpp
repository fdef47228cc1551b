// Privileges and kernel settings: capabilities, security_opt, read_only, sysctls, ulimits,
// oom_score_adj, devices, shm_size, init.
#include "container_args_parts.hpp"

namespace berth::scheduler::detail {
namespace {

using compose::Node;

// Docker accepts both "no-new-privileges:true" and "no-new-privileges=true".
Result<void> add_security_opts(ArgsBuilder& b) {
    for (const auto& opt : texts(b.get("security_opt"))) {
        if (opt == "no-new-privileges" || opt == "no-new-privileges:true" ||
            opt == "no-new-privileges=true") {
            b.add("--security-opt", "no-new-privileges:true");
        } else if (opt != "no-new-privileges:false" && opt != "no-new-privileges=false") {
            return b.fail("security_opt \"" + opt + "\" is not supported");
        }
    }
    return {};
}

bool starts_with(const std::string& s, const char* prefix) {
    return s.rfind(prefix, 0) == 0;
}

// The namespaced sysctls, as Docker's validator knows them: writing one into a namespace shared
// with the host would change the host.
Result<void> check_sysctl(const ArgsBuilder& b, const std::string& key) {
    if (starts_with(key, "net.") && b.shared_net) {
        return b.fail("sysctls: " + key + " is not allowed in a shared network namespace");
    }
    const bool ipc_key = starts_with(key, "kernel.shm") || starts_with(key, "kernel.msg") ||
                         key == "kernel.sem" || starts_with(key, "fs.mqueue.");
    if (ipc_key && b.shared_ipc) {
        return b.fail("sysctls: " + key + " is not allowed in a shared ipc namespace");
    }
    if ((key == "kernel.hostname" || key == "kernel.domainname") && b.shared_uts) {
        return b.fail("sysctls: " + key + " is not allowed in a shared uts namespace");
    }
    return {};
}

Result<void> add_sysctls(ArgsBuilder& b) {
    const Node* s = b.get("sysctls");
    if (s == nullptr || !s->is_map()) return {};
    for (const auto& e : s->entries) {
        if (auto ok = check_sysctl(b, e.key); !ok) return ok;
        b.add("--sysctl", e.key + "=" + e.value.text);
    }
    return {};
}

// A number (soft and hard) or {soft, hard}.
void add_ulimits(ArgsBuilder& b) {
    const Node* u = b.get("ulimits");
    if (u == nullptr || !u->is_map()) return;
    for (const auto& e : u->entries) {
        const Node* soft = e.value.is_map() ? e.value.find("soft") : &e.value;
        const Node* hard = e.value.is_map() ? e.value.find("hard") : &e.value;
        b.add("--ulimit",
              e.key + "=" + (soft ? soft->text : "0") + ":" + (hard ? hard->text : "0"));
    }
}

Result<void> add_devices(ArgsBuilder& b) {
    const Node* list = b.get("devices");
    if (list == nullptr || !list->is_seq()) return {};
    for (const Node& d : list->items) {
        const Node* src = d.is_map() ? d.find("source") : nullptr;
        const Node* dst = d.is_map() ? d.find("target") : nullptr;
        const Node* perms = d.is_map() ? d.find("permissions") : nullptr;
        // CDI names (vendor.com/class=name) need a CDI registry.
        if (src == nullptr || src->text.empty() || src->text[0] != '/') {
            return b.fail("devices: \"" + (src ? src->text : std::string()) +
                          "\" is not a device path (CDI devices are not supported)");
        }
        std::string arg = src->text + ":" + (dst && !dst->text.empty() ? dst->text : src->text);
        if (perms && !perms->text.empty()) arg += ":" + perms->text;
        b.add("--device", arg);
    }
    return {};
}

}  // namespace

Result<void> add_security(ArgsBuilder& b) {
    for (const auto& c : texts(b.get("cap_add"))) b.add("--cap-add", c);
    for (const auto& c : texts(b.get("cap_drop"))) b.add("--cap-drop", c);
    if (is_true(b.get("privileged"))) b.add("--privileged");
    if (auto ok = add_security_opts(b); !ok) return ok;
    if (is_true(b.get("read_only"))) b.add("--read-only");
    if (auto ok = add_sysctls(b); !ok) return ok;
    add_ulimits(b);
    if (const Node* adj = b.get("oom_score_adj")) b.add("--oom-score-adj", adj->text);
    if (auto ok = add_devices(b); !ok) return ok;
    if (const Node* shm = b.get("shm_size")) b.add("--shm-size", shm->text);
    if (is_true(b.get("init"))) b.add("--init");
    return {};
}

}  // namespace berth::scheduler::detail
