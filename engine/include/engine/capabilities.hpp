// Linux capabilities as data: names, Docker's default set and the cap_add / cap_drop arithmetic.
// Pure functions; the executor applies the resulting mask in the child (caps_apply.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace berth::engine {

using CapMask = std::uint64_t;

// Docker's default 14 capabilities (moby oci/caps/defaults.go): CHOWN, DAC_OVERRIDE, FOWNER,
// FSETID, KILL, SETGID, SETUID, SETPCAP, NET_BIND_SERVICE, NET_RAW, SYS_CHROOT, MKNOD,
// AUDIT_WRITE, SETFCAP.
inline constexpr CapMask kDockerDefaultCaps = 0x00000000a80425fbULL;

// The highest capability number this code has a name for (CAP_CHECKPOINT_RESTORE).
inline constexpr int kLastKnownCap = 40;

// "NET_ADMIN", "cap_net_admin", "CAP_NET_ADMIN" -> 12. nullopt for an unknown name.
std::optional<int> cap_from_name(const std::string& name);

// 12 -> "CAP_NET_ADMIN"; "CAP_<n>" for a number without a name.
std::string cap_name(int cap);

// Every capability 0..last_cap (last_cap as read from /proc/sys/kernel/cap_last_cap).
CapMask all_caps(int last_cap);

// The capability set of the container, as Docker computes it (TweakCapabilities): privileged gives
// all caps; "ALL" in cap_add gives all but cap_drop; "ALL" in cap_drop gives only cap_add;
// otherwise the default set plus cap_add minus cap_drop. Caps above last_cap are left out.
Result<CapMask> compute_caps(const std::vector<std::string>& cap_add,
                             const std::vector<std::string>& cap_drop, bool privileged,
                             int last_cap);

// "CAP_CHOWN,CAP_KILL" style list of the bits set in mask, for messages and tests.
std::string caps_to_string(CapMask mask);

}  // namespace berth::engine
