// User namespace maps, written by the parent into /proc/<pid>/{setgroups,uid_map,gid_map}.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "common/result.hpp"
#include "engine/spec.hpp"

namespace berth::engine {

// "0 100000 65536\n" lines, as uid_map/gid_map take them in a single write. Empty maps and
// ranges that overflow 32 bits are errors.
Result<std::string> format_id_map(const std::vector<IdMapping>& map);

// True when container id `id` falls inside one of the ranges.
bool id_mapped(const std::vector<IdMapping>& map, std::uint32_t id);

// Writes setgroups then uid_map then gid_map for pid (the order the kernel requires: gid_map
// after setgroups when setgroups is denied). deny_setgroups is needed when the writer lacks
// CAP_SETGID over the parent namespace (rootless); a privileged writer leaves setgroups allowed
// so the container can drop the host's supplementary groups and take its own (runc does the same).
Result<void> write_id_maps(pid_t pid, const std::vector<IdMapping>& uid_map,
                           const std::vector<IdMapping>& gid_map, bool deny_setgroups);

}  // namespace berth::engine
