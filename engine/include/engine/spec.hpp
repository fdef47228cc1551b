// engine::ContainerSpec: everything the runtime needs to start one container, as plain data. It
// knows nothing of compose files; the scheduler derives it from the compose model.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace berth::engine {

// Mount propagation of one mount (mount(2) MS_* propagation flags; "r" = recursive).
enum class Propagation { RPrivate, Private, RShared, Shared, RSlave, Slave };

struct Mount {
    enum class Type { Bind, Tmpfs, Proc };
    Type type = Type::Bind;
    std::string source;  // host path for Bind; ignored for Tmpfs and Proc
    std::string target;  // absolute path inside the container
    bool read_only = false;
    // Flags and data, as in mount(8): "nosuid", "nodev", "noexec", "size=65536k", "mode=1777",
    // "uid=0", "gid=0". Unknown words are an error at launch.
    std::vector<std::string> options;
    Propagation propagation = Propagation::RPrivate;
    bool recursive = true;  // rbind for Bind
    // Bind of a volume: when its folder is empty at start, the image's content at `target` is
    // copied into it first (Docker's first-mount copy).
    bool copy_up = false;
};

enum class Namespace { Mount, Uts, Ipc, Pid, Net, User, Cgroup };

// One line of /proc/<pid>/uid_map or gid_map.
struct IdMapping {
    std::uint32_t container_id = 0;
    std::uint32_t host_id = 0;
    std::uint32_t size = 0;
};

struct Namespaces {
    // Namespaces created fresh. User is off by default, as in Docker.
    bool mount = true, uts = true, ipc = true, pid = true, net = true, user = false, cgroup = false;
    // Namespaces joined instead of created: taken from /proc/<pid>/ns/<kind> of a running process
    // (network_mode/ipc/pid: service:x, container:x) or from a pinned path such as
    // /run/berth/netns/<id>.
    std::map<Namespace, std::string> join;  // kind -> path of the nsfs file
    std::vector<IdMapping> uid_map;         // with user = true
    std::vector<IdMapping> gid_map;
};

struct Rlimit {
    std::string name;  // "nofile", "nproc", "core", ... (ulimit names, without RLIMIT_)
    std::uint64_t soft = 0;
    std::uint64_t hard = 0;
};

// A host device made available inside (compose `devices:`).
struct DeviceMapping {
    std::string host_path;       // /dev/ttyUSB0
    std::string container_path;  // /dev/ttyUSB0
    std::string permissions = "rwm";
};

struct ContainerSpec {
    // Root filesystem: either overlay lower dirs (topmost first) with this container's upper and
    // work dirs and the merged mount point, or a single directory used as it is (rootfs_dir).
    std::vector<std::string> lower_dirs;
    std::string upper_dir;
    std::string work_dir;
    std::string merged_dir;
    std::string rootfs_dir;
    bool read_only_rootfs = false;

    // Holds hosts, hostname and resolv.conf, bind-mounted over /etc/{hosts,hostname,resolv.conf}.
    std::string state_dir;

    std::vector<Mount> mounts;  // in order, after the defaults (/proc, /dev, /sys, ...)
    Namespaces namespaces;

    // Process.
    std::vector<std::string> args;  // args[0] is looked up in PATH from env when it has no '/'
    std::vector<std::string> env;   // KEY=VALUE
    std::string cwd = "/";
    std::string user;                            // "", "name", "uid", "uid:gid", "name:group"
    std::vector<std::string> additional_groups;  // names or gids
    mode_t umask = 022;
    std::string hostname;
    std::string domainname;

    // Security.
    bool privileged = false;
    std::vector<std::string> cap_add;   // "NET_ADMIN", "CAP_NET_ADMIN" or "ALL"
    std::vector<std::string> cap_drop;  // same forms
    bool no_new_privileges = false;     // security_opt no-new-privileges:true

    // Limits and kernel settings.
    std::map<std::string, std::string> sysctls;
    std::vector<Rlimit> rlimits;
    std::optional<int> oom_score_adj;
    std::vector<DeviceMapping> devices;
    std::uint64_t shm_size = 64ull << 20;

    bool init = false;  // a reaper as PID 1 that forwards signals to args[0]
    bool tty = false;
};

}  // namespace berth::engine
