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

// The [arg_start, arg_end) range of our command line from /proc/self/stat; {0, 0} when unknown.
std::pair<std::uintptr_t, std::uintptr_t> own_argv_area();

// Our permitted capability set (what we can give the container).
std::uint64_t permitted_caps();

}  // namespace berth::engine::detail
