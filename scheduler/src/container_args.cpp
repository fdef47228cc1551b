#include "scheduler/container_args.hpp"

#include <utility>

#include "container_args_parts.hpp"
#include "scheduler/restart_policy.hpp"

namespace berth::scheduler {
namespace detail {

const compose::Node* ArgsBuilder::get(const char* key) const {
    return service.is_map() ? service.find(key) : nullptr;
}

void ArgsBuilder::add(const std::string& flag, const std::string& value) {
    options.push_back(flag);
    options.push_back(value);
}

void ArgsBuilder::add(const std::string& flag) {
    options.push_back(flag);
}

Error ArgsBuilder::fail(const std::string& message) const {
    return Error("service \"" + ctx.service + "\": " + message);
}

bool is_true(const compose::Node* n) {
    return n != nullptr && n->is_scalar() && n->as_bool().value_or(false);
}

std::vector<std::string> texts(const compose::Node* list) {
    std::vector<std::string> out;
    if (list == nullptr || !list->is_seq()) return out;
    for (const compose::Node& item : list->items) out.push_back(item.text);
    return out;
}

}  // namespace detail

namespace {

using compose::Node;
using detail::ArgsBuilder;

// Attributes that change what runs but that berth does not carry out (yet): ignoring them would
// start something other than what the file asks for.
Result<void> refuse_unsupported(const ArgsBuilder& b) {
    static constexpr const char* kRefused[] = {"userns_mode",
                                               "cgroup_parent",
                                               "mem_swappiness",
                                               "oom_kill_disable",
                                               "cpu_rt_period",
                                               "cpu_rt_runtime",
                                               "cpu_count",
                                               "cpu_percent",
                                               "device_cgroup_rules",
                                               "storage_opt",
                                               "runtime",
                                               "isolation",
                                               "gpus",
                                               "mac_address",
                                               "pre_start",
                                               "post_start",
                                               "pre_stop",
                                               "use_api_socket",
                                               "models",
                                               "provider",
                                               "credential_spec",
                                               "external_links"};
    for (const char* key : kRefused) {
        if (b.get(key) != nullptr) return b.fail(std::string(key) + " is not supported yet");
    }
    // berth's resolver gives a link's alias to the linking container: there is none without a
    // bridge network, as Docker refuses links with host networking.
    if (b.get("links") != nullptr && !needs_bridge_network(b.service)) {
        return b.fail("links need a bridge network; remove network_mode or the links");
    }
    if (const Node* cgroup = b.get("cgroup"); cgroup && cgroup->text != "host") {
        // Containers share the host's cgroup namespace (Docker's default on cgroup v1).
        return b.fail("cgroup \"" + cgroup->text + "\" is not supported yet (only host)");
    }
    const Node* deploy = b.get("deploy");
    const Node* res = deploy && deploy->is_map() ? deploy->find("resources") : nullptr;
    const Node* reserve = res && res->is_map() ? res->find("reservations") : nullptr;
    if (reserve && reserve->is_map() && reserve->find("devices") != nullptr) {
        return b.fail("deploy.resources.reservations.devices is not supported yet");
    }
    return {};
}

std::string hostname_of(const ArgsBuilder& b) {
    if (const Node* h = b.get("hostname")) return h->text;
    // sethostname takes at most 64 bytes; a DNS label at most 63.
    return b.ctx.container_name.substr(0, 63);
}

Result<void> add_names(ArgsBuilder& b, ContainerArgs& out) {
    const Node* domain = b.get("domainname");
    if (b.shared_uts) {
        // Setting either would rename the host (or the other service).
        if (b.get("hostname") || domain) {
            return b.fail("hostname and domainname cannot be set with uts \"" + b.get("uts")->text +
                          "\"");
        }
        return {};
    }
    out.hostname = hostname_of(b);
    if (!out.hostname.empty()) b.add("--hostname", out.hostname);
    if (domain) b.add("--domainname", domain->text);
    return {};
}

std::map<std::string, std::string> labels_of(const ArgsBuilder& b) {
    std::map<std::string, std::string> labels;
    if (const Node* l = b.get("labels"); l && l->is_map()) {
        for (const auto& e : l->entries) labels[e.key] = e.value.text;
    }
    // berth's own labels win, as com.docker.compose.* do in docker compose.
    labels[kLabelProject] = b.ctx.project;
    labels[kLabelService] = b.ctx.service;
    labels[kLabelNumber] = std::to_string(b.ctx.number);
    labels[kLabelConfigHash] = b.ctx.config_hash;
    labels[kLabelOneoff] = b.ctx.oneoff ? "True" : "False";
    return labels;
}

}  // namespace

bool needs_bridge_network(const compose::Node& service) {
    if (!service.is_map()) return true;
    const Node* nets = service.find("networks");
    if (nets != nullptr && !nets->empty_collection()) return true;
    const Node* mode = service.find("network_mode");
    return mode == nullptr || mode->text == "bridge" || mode->text == "default";
}

Result<ContainerArgs> container_args(const compose::Node& service, const ContainerContext& ctx) {
    ArgsBuilder b{service, ctx, {}, {}};
    ContainerArgs out;
    if (auto ok = refuse_unsupported(b); !ok) return ok.error();
    // The daemon carries the policy out, but a bad one must stop `up` before anything is made.
    if (auto policy = restart_policy_of(ctx.service, service); !policy) return policy.error();
    b.options = ctx.rootfs_args;
    if (!ctx.state_dir.empty()) b.add("--state-dir", ctx.state_dir);
    for (auto step :
         {detail::add_namespaces, detail::add_security, detail::add_mounts, detail::add_limits}) {
        if (auto ok = step(b); !ok) return ok.error();
    }
    if (auto ok = add_names(b, out); !ok) return ok.error();
    if (auto ok = detail::add_process(b, out); !ok) return ok.error();
    out.create_args = std::move(b.options);
    out.create_args.push_back("--");
    out.create_args.insert(out.create_args.end(), out.command.begin(), out.command.end());
    out.labels = labels_of(b);
    out.warnings = std::move(b.warnings);
    return out;
}

}  // namespace berth::scheduler
