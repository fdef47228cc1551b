// Parent-side reads of host and image files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace berth::engine::detail {

// Reads `rel` (e.g. "etc/passwd") from the first layer that has it, resolving symlinks inside each
// layer (RESOLVE_IN_ROOT) so an image cannot point us at a host file. Regular files up to 4 MiB;
// nullopt when no layer has it.
Result<std::optional<std::string>> read_image_file(const std::vector<std::string>& layers,
                                                   const char* rel);

// /proc/sys/kernel/cap_last_cap, or kLastKnownCap when unreadable.
int read_cap_last_cap();

// Current hard limit of an RLIMIT_* resource.
std::uint64_t current_hard_limit(int resource);

// Our own oom_score_adj and whether we hold CAP_SYS_RESOURCE (needed to lower it).
int current_oom_score_adj();
bool have_cap(int cap);

// Where our command line and environment live ([start, end) from /proc/self/stat fields 48-51);
// all zero when unknown.
struct ArgEnvArea {
    std::uintptr_t arg_start = 0, arg_end = 0, env_start = 0, env_end = 0;
};
ArgEnvArea own_arg_env_area();

// Our permitted capability set (what we can give the container).
std::uint64_t permitted_caps();

}  // namespace berth::engine::detail
