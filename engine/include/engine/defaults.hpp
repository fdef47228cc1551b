// Docker's runtime defaults, kept as data so they are reviewed and tested in one place.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace berth::engine {

// Paths hidden from the container (moby oci/defaults.go): a file gets /dev/null bind-mounted over
// it, a directory an empty read-only tmpfs.
const std::vector<std::string>& default_masked_paths();

// Paths bind-mounted read-only over themselves (moby oci/defaults.go).
const std::vector<std::string>& default_readonly_paths();

struct DeviceNode {
    std::string path;  // inside the container, e.g. "/dev/null"
    char type = 'c';   // 'c' or 'b'
    unsigned major = 0;
    unsigned minor = 0;
    mode_t mode = 0666;
    uid_t uid = 0;
    gid_t gid = 0;
};

// null 1:3, zero 1:5, full 1:7, random 1:8, urandom 1:9, tty 5:0, all 0666 (runc's
// AllowedDevices that are also created).
const std::vector<DeviceNode>& default_devices();

struct Symlink {
    std::string target;  // what the link points to
    std::string path;    // the link itself
};

// /dev/fd, /dev/stdin, /dev/stdout, /dev/stderr and /dev/ptmx -> pts/ptmx.
const std::vector<Symlink>& default_dev_symlinks();

}  // namespace berth::engine
