// The kernel side of the local driver's options: a volume with `type`/`device`/`o` has that
// filesystem mounted on its _data folder for as long as the volume exists.
#pragma once

#include <string>

#include "common/result.hpp"
#include "volumes/volume.hpp"

namespace berth::volumes {

// Mounts m on `data` (mount -t TYPE -o O DEVICE data). A bind device is bound, recursively
// with rbind.
Result<void> mount_local(const LocalMount& m, const std::string& data);

// Whether something is mounted exactly on `path` (from /proc/self/mountinfo).
bool is_mount_point(const std::string& path);

// Lazily unmounts `data` when something is mounted on it; nothing to do is not an error.
Result<void> unmount_local(const std::string& data);

}  // namespace berth::volumes
