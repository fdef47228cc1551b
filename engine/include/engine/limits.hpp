// rlimits and sysctls: names, validation and clamping. Pure; the child applies the result.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "engine/spec.hpp"

namespace berth::engine {

inline constexpr std::uint64_t kRlimInfinity = ~std::uint64_t{0};

// "nofile", "NOFILE", "RLIMIT_NOFILE" -> RLIMIT_NOFILE. nullopt for an unknown name.
std::optional<int> rlimit_from_name(const std::string& name);

struct ClampedRlimit {
    int resource = -1;
    std::uint64_t soft = 0;
    std::uint64_t hard = 0;
    std::string warning;  // non-empty when the request was lowered
};

// Without CAP_SYS_RESOURCE a hard limit can only go down, so a request above the current hard
// limit is lowered to it (as Podman does when rootless) and a warning says so. soft > hard and
// unknown names are errors.
Result<ClampedRlimit> clamp_rlimit(const Rlimit& want, std::uint64_t current_hard);

// Which namespaces the container has of its own; sysctls are only allowed in those.
struct PrivateNamespaces {
    bool ipc = true;
    bool net = true;
    bool uts = true;
};

// Only namespaced sysctls are allowed, as runc validates them (libcontainer/configs/validate):
// kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.* with a private IPC namespace; net.* with a
// private network namespace; kernel.hostname / kernel.domainname with a private UTS namespace.
Result<void> validate_sysctl(const std::string& key, const PrivateNamespaces& ns);

// "net.ipv4.ip_forward" -> "/proc/sys/net/ipv4/ip_forward". A key that already uses '/' keeps
// it, so interface names with dots ("net/ipv4/conf/eth0.100/forwarding") can be given.
std::string sysctl_path(const std::string& key);

}  // namespace berth::engine
