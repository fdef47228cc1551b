#include "stale_netns.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <optional>
#include <string>
#include <utility>

#include "network_manager.hpp"

namespace berth::daemon {

namespace {

using NsId = std::pair<dev_t, ino_t>;

std::optional<NsId> ns_of(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return NsId{st.st_dev, st.st_ino};
}

std::optional<NsId> running_ns(DaemonContext& ctx, const std::string& id) {
    auto st = ctx.runtime->status(id);
    if (!st || st->state != ContainerRunState::Running || st->pid <= 0) return std::nullopt;
    return ns_of("/proc/" + std::to_string(st->pid) + "/ns/net");
}

// The namespace "service:x" names now: that of x's first container, its pinned one when berth
// made one, else its PID 1's (as container_ops joins it).
std::optional<NsId> service_ns(DaemonContext& ctx, const ProjectContainers& pc,
                               const std::string& service) {
    const ContainerRecord* first = nullptr;
    for (const auto& r : pc.records) {
        if (r.service == service && !r.oneoff && (!first || r.number < first->number)) first = &r;
    }
    if (!first) return std::nullopt;
    if (ctx.networks) {
        if (auto pinned = ns_of(ctx.networks->netns_path(first->id))) return pinned;
    }
    return running_ns(ctx, first->id);
}

}  // namespace

void mark_stale_shared_netns(DaemonContext& ctx, const compose::Project& project,
                             ProjectContainers& pc) {
    for (auto& a : pc.actual) {
        if (a.oneoff || a.state != scheduler::RunState::Running) continue;
        const compose::Node* node = project.service(a.service);
        const compose::Node* mode = node ? node->find("network_mode") : nullptr;
        if (!mode || !mode->is_scalar() || mode->text.rfind("service:", 0) != 0) continue;
        auto want = service_ns(ctx, pc, mode->text.substr(8));
        auto have = running_ns(ctx, a.id);
        // Unknown on either side (x has no container, a process just exited): nothing to say.
        if (!want || !have || *want == *have) continue;
        a.config_hash += "+stale-netns";
    }
}

}  // namespace berth::daemon
