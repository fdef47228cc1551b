#include "engine/capabilities.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace berth::engine {
namespace {

// Indexed by capability number (linux/capability.h).
constexpr std::array<std::string_view, kLastKnownCap + 1> kCapNames = {
    "CHOWN",
    "DAC_OVERRIDE",
    "DAC_READ_SEARCH",
    "FOWNER",
    "FSETID",
    "KILL",
    "SETGID",
    "SETUID",
    "SETPCAP",
    "LINUX_IMMUTABLE",
    "NET_BIND_SERVICE",
    "NET_BROADCAST",
    "NET_ADMIN",
    "NET_RAW",
    "IPC_LOCK",
    "IPC_OWNER",
    "SYS_MODULE",
    "SYS_RAWIO",
    "SYS_CHROOT",
    "SYS_PTRACE",
    "SYS_PACCT",
    "SYS_ADMIN",
    "SYS_BOOT",
    "SYS_NICE",
    "SYS_RESOURCE",
    "SYS_TIME",
    "SYS_TTY_CONFIG",
    "MKNOD",
    "LEASE",
    "AUDIT_WRITE",
    "AUDIT_CONTROL",
    "SETFCAP",
    "MAC_OVERRIDE",
    "MAC_ADMIN",
    "SYSLOG",
    "WAKE_ALARM",
    "BLOCK_SUSPEND",
    "AUDIT_READ",
    "PERFMON",
    "BPF",
    "CHECKPOINT_RESTORE",
};

std::string upper_without_prefix(const std::string& name) {
    std::string up(name.size(), '\0');
    std::transform(name.begin(), name.end(), up.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (up.rfind("CAP_", 0) == 0) up.erase(0, 4);
    return up;
}

bool is_all(const std::string& name) {
    return upper_without_prefix(name) == "ALL";
}

bool contains_all(const std::vector<std::string>& names) {
    return std::any_of(names.begin(), names.end(), is_all);
}

// The mask of the named caps; "ALL" entries are skipped (the caller handles them).
Result<CapMask> mask_of(const std::vector<std::string>& names, int last_cap) {
    CapMask mask = 0;
    for (const auto& name : names) {
        if (is_all(name)) continue;
        auto cap = cap_from_name(name);
        if (!cap) return Error("unknown capability: \"" + name + "\"");
        if (*cap <= last_cap) mask |= CapMask{1} << *cap;
    }
    return mask;
}

}  // namespace

std::optional<int> cap_from_name(const std::string& name) {
    const std::string up = upper_without_prefix(name);
    for (std::size_t i = 0; i < kCapNames.size(); ++i) {
        if (kCapNames[i] == up) return static_cast<int>(i);
    }
    return std::nullopt;
}

std::string cap_name(int cap) {
    if (cap >= 0 && cap <= kLastKnownCap) return "CAP_" + std::string(kCapNames[cap]);
    return "CAP_" + std::to_string(cap);
}

CapMask all_caps(int last_cap) {
    if (last_cap >= 63) return ~CapMask{0};
    if (last_cap < 0) return 0;
    return (CapMask{1} << (last_cap + 1)) - 1;
}

Result<CapMask> compute_caps(const std::vector<std::string>& cap_add,
                             const std::vector<std::string>& cap_drop, bool privileged,
                             int last_cap) {
    const CapMask all = all_caps(last_cap);
    if (privileged) return all;
    auto add = mask_of(cap_add, last_cap);
    if (!add) return add.error();
    auto drop = mask_of(cap_drop, last_cap);
    if (!drop) return drop.error();
    if (contains_all(cap_add)) return all & ~*drop;
    if (contains_all(cap_drop)) return *add;
    return ((kDockerDefaultCaps & all) & ~*drop) | *add;
}

std::string caps_to_string(CapMask mask) {
    std::string out;
    for (int cap = 0; cap < 64; ++cap) {
        if (!(mask & (CapMask{1} << cap))) continue;
        if (!out.empty()) out += ',';
        out += cap_name(cap);
    }
    return out;
}

}  // namespace berth::engine
