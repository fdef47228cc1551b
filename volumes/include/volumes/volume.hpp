// A volume's name rules, its folders under the data root, and the `local` driver's options, as
// Docker's local driver takes them. Pure: volumes/src/store.cpp does the I/O.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace berth::volumes {

// [a-zA-Z0-9][a-zA-Z0-9_.-]*, so no "..", no "/", nothing that leaves <data-root>/volumes.
Result<void> check_name(std::string_view name);

// <root>/<name> holds the volume; its data is <root>/<name>/_data, as Docker lays it out.
std::string volume_dir(const std::string& root, const std::string& name);
std::string data_dir(const std::string& root, const std::string& name);

// The `local` driver's driver_opts: `type`, `device` and `o`, which mount(8) would take as
// `mount -t TYPE -o O DEVICE <_data>`. With none, the volume is the plain folder _data.
struct LocalMount {
    std::string type;         // "tmpfs", "ext4", "nfs", "none" (with o=bind) ...
    std::string device;       // a block device or file, a folder for bind, "tmpfs" ...
    unsigned long flags = 0;  // MS_* from the words of `o` mount(2) takes as flags
    std::string data;         // the other words of `o`, for the filesystem
    bool bind = false;        // o holds "bind": a bind mount of `device`
};

// Refuses other keys, a type without a device (or the reverse, but for tmpfs), and a relative
// bind device, naming the volume and the key.
Result<std::optional<LocalMount>> parse_local_options(
    const std::string& volume, const std::map<std::string, std::string>& options);

// Only `local` (and "" for it) exists.
Result<void> check_driver(const std::string& volume, const std::string& driver);

}  // namespace berth::volumes
