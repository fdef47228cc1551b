// Everything the clone child needs, computed by the parent before clone. The child only reads
// it (and fills the preallocated fd slots), so it never allocates between clone and exec.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/capabilities.hpp"
#include "engine/defaults.hpp"
#include "engine/launch.hpp"
#include "engine/limits.hpp"
#include "engine/mount_plan.hpp"
#include "engine/users.hpp"

namespace berth::engine::detail {

// A host object bind-mounted into the container: opened with open_tree() before pivot_root, while
// the host path is still reachable, and attached after it.
struct HostBind {
    std::string host_path;
    std::string target;
    bool recursive = false;
    int tree_fd = -1;  // filled by the child
};

struct DevicePlan {
    DeviceNode node;
    std::string host_path;  // bind source in a user namespace (mknod is refused there)
    int tree_fd = -1;
};

struct ChildPlan {
    int sync_fd = -1;
    Stdio stdio;

    bool user_ns = false;
    int join_mnt_fd = -1;  // joining a mount namespace skips the whole rootfs setup
    bool new_net = false;
    // A new cgroup namespace is made by the child after the parent has moved it into its cgroup,
    // so that the namespace's root is the container's cgroup and not the launcher's.
    bool unshare_cgroupns = false;

    // Root filesystem.
    std::string rootfs;        // the directory pivot_root enters (merged_dir or rootfs_dir)
    std::string overlay_data;  // empty: rootfs_dir is bind-mounted onto itself
    std::vector<MountStep> mounts;
    std::vector<int> mount_tree_fds;  // one per mount (Bind steps), -1 otherwise
    std::vector<DevicePlan> devices;
    bool bind_devices = false;
    std::vector<Symlink> dev_symlinks;
    std::vector<HostBind> etc_files;  // /etc/hosts, /etc/hostname, /etc/resolv.conf
    std::vector<std::pair<std::string, std::string>> sysctls;  // /proc/sys path, value
    std::vector<std::string> masked_paths;
    std::vector<std::string> readonly_paths;
    bool read_only_rootfs = false;
    std::string cwd = "/";

    // Process.
    std::string hostname;
    std::string domainname;
    std::vector<ClampedRlimit> rlimits;
    std::string oom_score_adj;  // decimal text, empty to leave it
    mode_t umask = 022;
    ExecUser user;
    CapMask caps = 0;
    int last_cap = kLastKnownCap;
    bool no_new_privs = false;
    bool init = false;
    bool tty = false;
    // Our own argv and environment areas (/proc/self/stat): the init reaper blanks them so that
    // /proc/1/cmdline shows "berth-init" and /proc/1/environ nothing of the host.
    char* arg_start = nullptr;
    char* arg_end = nullptr;
    char* env_start = nullptr;
    char* env_end = nullptr;

    std::vector<std::string> args;
    std::vector<const char*> argv;  // null-terminated views of args
    std::vector<std::string> env;
    std::vector<const char*> envp;
    std::string path_env;  // PATH used to find args[0]
};

// Builds the plan: validation, capability and user resolution, rlimit clamping (warnings are
// appended), and the mount plan. Reads host files (passwd from the image layers, the current
// rlimits) but changes nothing.
Result<ChildPlan> build_plan(const ContainerSpec& spec, const Stdio& stdio,
                             std::vector<std::string>& warnings);

// Runs in the clone child; never returns.
[[noreturn]] void child_main(ChildPlan& plan);

}  // namespace berth::engine::detail
