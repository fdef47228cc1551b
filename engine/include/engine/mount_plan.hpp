// The container's mounts as an ordered list of plain steps, computed from the spec before clone.
// Pure: the child only walks the list (rootfs.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "engine/spec.hpp"

namespace berth::engine {

// mount(8)-style words split into MS_* flags and the filesystem data string.
struct MountOptions {
    unsigned long flags = 0;        // MS_RDONLY, MS_NOSUID, ... to set
    unsigned long clear = 0;        // flags explicitly turned off ("rw", "suid", "dev", "exec")
    unsigned long propagation = 0;  // MS_PRIVATE | MS_REC, ... (0 = leave as is)
    bool bind = false;              // "bind" / "rbind"
    bool recursive = false;         // "rbind"
    std::string data;               // "size=65536k,mode=1777"
};

// Accepts one word per element or comma lists ("nosuid,nodev,size=64m"). Unknown flag words
// are an error; key=value words (size, mode, uid, gid, nr_inodes, ...) go to data as they are.
Result<MountOptions> parse_mount_options(const std::vector<std::string>& words);

struct MountStep {
    enum class Kind { NewFs, Bind };
    Kind kind = Kind::NewFs;
    std::string fstype;  // NewFs: "proc", "tmpfs", "sysfs", "devpts", "mqueue"
    std::string source;  // NewFs: the device name shown in mountinfo; Bind: the host path
    std::string target;  // absolute, inside the container
    unsigned long flags = 0;
    std::string data;
    unsigned long propagation = 0;
    bool recursive = true;     // Bind: rbind
    bool no_symlinks = false;  // the target may not be (or pass through) a symlink
    bool file_target = false;  // Bind of a file: the target is created as an empty file
    bool copy_up = false;      // Bind: fill an empty source from the image's target first
};

struct MountPlanInput {
    std::vector<Mount> mounts;
    std::uint64_t shm_size = 64ull << 20;
    bool privileged = false;  // /sys read-write
    bool user_namespace = false;
    bool gid5_mapped = true;  // devpts gid=5 only when gid 5 exists in the container
    bool private_net = true;  // sysfs can only be mounted by the owner of the network namespace
};

// /proc, /dev (tmpfs), /dev/pts, /dev/shm, /dev/mqueue, /sys (read-only), then the spec mounts in
// order. In a user namespace that shares the host's network namespace, /sys is a recursive
// read-only bind of the host's (the kernel refuses a new sysfs there; runc does the same). A spec
// mount on the same target as a default one replaces it (as Docker does for /dev/shm).
Result<std::vector<MountStep>> plan_mounts(const MountPlanInput& in);

}  // namespace berth::engine
