#include "engine/limits.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace berth::engine {
namespace {

constexpr std::array<std::pair<const char*, int>, 16> kRlimits = {{
    {"AS", RLIMIT_AS},
    {"CORE", RLIMIT_CORE},
    {"CPU", RLIMIT_CPU},
    {"DATA", RLIMIT_DATA},
    {"FSIZE", RLIMIT_FSIZE},
    {"LOCKS", RLIMIT_LOCKS},
    {"MEMLOCK", RLIMIT_MEMLOCK},
    {"MSGQUEUE", RLIMIT_MSGQUEUE},
    {"NICE", RLIMIT_NICE},
    {"NOFILE", RLIMIT_NOFILE},
    {"NPROC", RLIMIT_NPROC},
    {"RSS", RLIMIT_RSS},
    {"RTPRIO", RLIMIT_RTPRIO},
    {"RTTIME", RLIMIT_RTTIME},
    {"SIGPENDING", RLIMIT_SIGPENDING},
    {"STACK", RLIMIT_STACK},
}};

std::string limit_text(std::uint64_t v) {
    return v == kRlimInfinity ? "unlimited" : std::to_string(v);
}

bool starts_with(const std::string& s, const char* prefix) {
    return s.rfind(prefix, 0) == 0;
}

bool is_ipc_sysctl(const std::string& key) {
    static const std::array<const char*, 8> exact = {
        "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
        "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"};
    return std::find_if(exact.begin(), exact.end(), [&](const char* k) { return key == k; }) !=
               exact.end() ||
           starts_with(key, "fs.mqueue.");
}

// Every component must be a plain name: "net/../kernel/core_pattern" would otherwise pass as a
// net.* key and write a host-wide setting.
bool plain_components(const std::string& key) {
    const char sep = key.find('/') != std::string::npos ? '/' : '.';
    std::size_t start = 0;
    for (;;) {
        const auto end = key.find(sep, start);
        const std::string part = key.substr(start, end == std::string::npos ? end : end - start);
        if (part.empty() || part == "." || part == "..") return false;
        if (end == std::string::npos) return true;
        start = end + 1;
    }
}

}  // namespace

std::optional<int> rlimit_from_name(const std::string& name) {
    std::string up(name.size(), '\0');
    std::transform(name.begin(), name.end(), up.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (starts_with(up, "RLIMIT_")) up.erase(0, 7);
    for (const auto& [n, r] : kRlimits) {
        if (up == n) return r;
    }
    return std::nullopt;
}

Result<ClampedRlimit> clamp_rlimit(const Rlimit& want, std::uint64_t current_hard) {
    auto resource = rlimit_from_name(want.name);
    if (!resource) return Error("unknown ulimit \"" + want.name + "\"");
    if (want.soft > want.hard) {
        return Error("ulimit " + want.name + ": soft limit " + limit_text(want.soft) +
                     " is above the hard limit " + limit_text(want.hard));
    }
    ClampedRlimit out{*resource, want.soft, want.hard, {}};
    if (want.hard > current_hard) {
        out.hard = current_hard;
        out.soft = std::min(want.soft, current_hard);
        out.warning = "ulimit " + want.name + ": " + limit_text(want.soft) + ":" +
                      limit_text(want.hard) + " is above the current hard limit " +
                      limit_text(current_hard) + " (raising it needs CAP_SYS_RESOURCE); using " +
                      limit_text(out.soft) + ":" + limit_text(out.hard);
    }
    return out;
}

Result<void> validate_sysctl(const std::string& raw, const PrivateNamespaces& ns) {
    if (!plain_components(raw)) return Error("invalid sysctl name \"" + raw + "\"");
    std::string key = raw;
    std::replace(key.begin(), key.end(), '/', '.');
    auto conflict = [&](const char* kind) {
        return Error("sysctl \"" + raw + "\" is not allowed: it needs a private " + kind +
                     " namespace");
    };
    if (is_ipc_sysctl(key)) return ns.ipc ? Result<void>() : conflict("IPC");
    if (starts_with(key, "net.")) return ns.net ? Result<void>() : conflict("network");
    if (key == "kernel.hostname" || key == "kernel.domainname") {
        return ns.uts ? Result<void>() : conflict("UTS");
    }
    return Error("sysctl \"" + raw + "\" is not in a separate kernel namespace");
}

std::string sysctl_path(const std::string& key) {
    std::string rel = key;
    if (rel.find('/') == std::string::npos) std::replace(rel.begin(), rel.end(), '.', '/');
    while (!rel.empty() && rel.front() == '/') rel.erase(0, 1);
    return "/proc/sys/" + rel;
}

}  // namespace berth::engine
