// Parent side, before clone: turns the ContainerSpec into the ChildPlan. All validation, lookups
// and allocation happen here so the child only has to execute.
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>

#include "child_plan.hpp"
#include "engine/userns.hpp"
#include "host_read.hpp"

namespace berth::engine::detail {
namespace {

constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

bool env_has(const std::vector<std::string>& env, const std::string& key) {
    return std::any_of(env.begin(), env.end(),
                       [&](const std::string& e) { return e.rfind(key + "=", 0) == 0; });
}

std::string env_value(const std::vector<std::string>& env, const std::string& key) {
    for (const auto& e : env) {
        if (e.rfind(key + "=", 0) == 0) return e.substr(key.size() + 1);
    }
    return {};
}

bool is_private(const ContainerSpec& s, bool created, Namespace kind) {
    return created && !s.namespaces.join.count(kind);
}

// Overlay options are comma-separated and lowerdir is colon-separated; a path holding either
// would inject options.
Result<std::string> overlay_data(const ContainerSpec& s) {
    std::string lower;
    for (const auto& d : s.lower_dirs) {
        if (d.find_first_of(",:") != std::string::npos) {
            return Error("overlay lower dir " + d + " contains ',' or ':'");
        }
        lower += (lower.empty() ? "" : ":") + d;
    }
    std::string data = "lowerdir=" + lower;
    if (!s.upper_dir.empty()) {
        for (const auto* d : {&s.upper_dir, &s.work_dir}) {
            if (d->find_first_of(",:") != std::string::npos) {
                return Error("overlay dir " + *d + " contains ',' or ':'");
            }
        }
        if (s.work_dir.empty()) return Error("overlay upper dir given without a work dir");
        data += ",upperdir=" + s.upper_dir + ",workdir=" + s.work_dir;
    }
    // mount(2) copies at most one page of options.
    if (data.size() >= 4000) return Error("overlay options are longer than a page");
    return data;
}

Result<void> plan_rootfs(const ContainerSpec& s, ChildPlan& p) {
    if (!s.rootfs_dir.empty()) {
        if (!s.lower_dirs.empty()) return Error("give either rootfs_dir or lower_dirs, not both");
        p.rootfs = s.rootfs_dir;
        return {};
    }
    if (s.lower_dirs.empty()) return Error("no root filesystem: rootfs_dir or lower_dirs needed");
    if (s.merged_dir.empty()) return Error("overlay rootfs needs merged_dir");
    auto data = overlay_data(s);
    if (!data) return data.error();
    p.overlay_data = std::move(*data);
    p.rootfs = s.merged_dir;
    return {};
}

std::vector<std::string> image_layers(const ContainerSpec& s) {
    if (!s.rootfs_dir.empty()) return {s.rootfs_dir};
    std::vector<std::string> layers;
    if (!s.upper_dir.empty()) layers.push_back(s.upper_dir);
    layers.insert(layers.end(), s.lower_dirs.begin(), s.lower_dirs.end());
    return layers;
}

Result<void> plan_user(const ContainerSpec& s, ChildPlan& p) {
    const auto layers = image_layers(s);
    auto passwd = read_image_file(layers, "etc/passwd");
    if (!passwd) return passwd.error();
    auto group = read_image_file(layers, "etc/group");
    if (!group) return group.error();
    auto user = resolve_user(s.user, s.additional_groups, parse_passwd(passwd->value_or("")),
                             parse_group(group->value_or("")));
    if (!user) return user.error();
    p.user = std::move(*user);
    return {};
}

void plan_process(const ContainerSpec& s, ChildPlan& p) {
    p.args = s.args;
    p.env = s.env;
    if (!env_has(p.env, "HOME")) p.env.push_back("HOME=" + p.user.home);
    p.path_env = env_has(p.env, "PATH") ? env_value(p.env, "PATH") : kDefaultPath;
    for (const auto& a : p.args) p.argv.push_back(a.c_str());
    p.argv.push_back(nullptr);
    for (const auto& e : p.env) p.envp.push_back(e.c_str());
    p.envp.push_back(nullptr);
    p.cwd = s.cwd.empty() ? "/" : s.cwd;
    p.umask = s.umask;
    p.hostname = s.hostname;
    p.domainname = s.domainname;
    p.init = s.init;
    if (p.init) {
        const auto area = own_arg_env_area();
        p.arg_start = reinterpret_cast<char*>(area.arg_start);
        p.arg_end = reinterpret_cast<char*>(area.arg_end);
        p.env_start = reinterpret_cast<char*>(area.env_start);
        p.env_end = reinterpret_cast<char*>(area.env_end);
    }
    p.tty = s.tty;
    p.no_new_privs = s.no_new_privileges;
}

Result<void> plan_limits(const ContainerSpec& s, const PrivateNamespaces& ns, ChildPlan& p,
                         std::vector<std::string>& warnings) {
    for (const auto& [key, value] : s.sysctls) {
        auto ok = validate_sysctl(key, ns);
        if (!ok) return ok.error();
        p.sysctls.emplace_back(sysctl_path(key), value);
    }
    for (const auto& r : s.rlimits) {
        auto resource = rlimit_from_name(r.name);
        if (!resource) return Error("unknown ulimit \"" + r.name + "\"");
        auto c = clamp_rlimit(r, current_hard_limit(*resource));
        if (!c) return c.error();
        if (!c->warning.empty()) warnings.push_back(c->warning);
        p.rlimits.push_back(*c);
    }
    if (s.oom_score_adj) {
        int want = std::clamp(*s.oom_score_adj, -1000, 1000);
        const int current = current_oom_score_adj();
        // Lowering oom_score_adj needs CAP_SYS_RESOURCE, which this host does not grant.
        if (want < current && !have_cap(24 /* CAP_SYS_RESOURCE */)) {
            warnings.push_back("oom_score_adj " + std::to_string(want) + " is below the current " +
                               std::to_string(current) +
                               " (lowering it needs CAP_SYS_RESOURCE); using " +
                               std::to_string(current));
            want = current;
        }
        p.oom_score_adj = std::to_string(want);
    }
    return {};
}

Result<void> plan_mount_list(const ContainerSpec& s, ChildPlan& p) {
    MountPlanInput in{
        s.mounts, s.shm_size, s.privileged, p.user_ns, id_mapped(s.namespaces.gid_map, 5),
        p.new_net};
    auto plan = plan_mounts(in);
    if (!plan) return plan.error();
    for (auto& m : *plan) {
        if (m.kind != MountStep::Kind::Bind) continue;
        struct stat st {};
        if (stat(m.source.c_str(), &st) < 0) return errno_error("bind mount " + m.source, errno);
        m.file_target = !S_ISDIR(st.st_mode);
    }
    p.mounts = std::move(*plan);
    p.mount_tree_fds.assign(p.mounts.size(), -1);
    return {};
}

bool mount_targets(const ContainerSpec& s, const std::string& target) {
    return std::any_of(s.mounts.begin(), s.mounts.end(),
                       [&](const Mount& m) { return m.target == target; });
}

Result<void> plan_devices(const ContainerSpec& s, ChildPlan& p) {
    p.bind_devices = p.user_ns;  // mknod is refused in a user namespace
    for (const auto& d : default_devices()) p.devices.push_back({d, d.path, -1});
    for (const auto& d : s.devices) {
        struct stat st {};
        if (stat(d.host_path.c_str(), &st) < 0) return errno_error("device " + d.host_path, errno);
        if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode)) {
            return Error("device " + d.host_path + " is not a character or block device");
        }
        DeviceNode node{d.container_path.empty() ? d.host_path : d.container_path,
                        S_ISBLK(st.st_mode) ? 'b' : 'c',
                        major(st.st_rdev),
                        minor(st.st_rdev),
                        static_cast<mode_t>(st.st_mode & 07777),
                        0,
                        0};
        if (node.path.empty() || node.path.front() != '/') {
            return Error("device path " + node.path + " is not absolute");
        }
        p.devices.push_back({node, d.host_path, -1});
    }
    p.dev_symlinks = default_dev_symlinks();
    return {};
}

void plan_etc_files(const ContainerSpec& s, ChildPlan& p) {
    if (s.state_dir.empty()) return;
    for (const char* name : {"hosts", "hostname", "resolv.conf"}) {
        const std::string host = s.state_dir + "/" + name;
        const std::string target = std::string("/etc/") + name;
        struct stat st {};
        if (stat(host.c_str(), &st) < 0 || !S_ISREG(st.st_mode)) continue;
        if (mount_targets(s, target)) continue;  // the user's own mount wins, as in Docker
        p.etc_files.push_back({host, target, false, -1});
    }
}

Result<void> plan_security(const ContainerSpec& s, ChildPlan& p,
                           std::vector<std::string>& warnings) {
    p.last_cap = std::min(read_cap_last_cap(), 63);
    auto caps = compute_caps(s.cap_add, s.cap_drop, s.privileged, p.last_cap);
    if (!caps) return caps.error();
    // Capabilities the engine itself lacks (CAP_SYS_RESOURCE here) cannot be handed on; capset
    // would refuse the whole set.
    const CapMask held = permitted_caps();
    if (*caps & ~held) {
        warnings.push_back("capabilities not held by the engine are left out: " +
                           caps_to_string(*caps & ~held));
    }
    p.caps = *caps & held;
    if (!s.privileged) {
        p.masked_paths = default_masked_paths();
        p.readonly_paths = default_readonly_paths();
    }
    p.read_only_rootfs = s.read_only_rootfs;
    return {};
}

Result<void> check_namespaces(const ContainerSpec& s, const ChildPlan& p) {
    const auto& ns = s.namespaces;
    if (!ns.mount && !ns.join.count(Namespace::Mount)) {
        return Error("a container needs a mount namespace of its own or a joined one");
    }
    if (ns.join.count(Namespace::User)) return Error("joining a user namespace is not supported");
    if ((!s.hostname.empty() || !s.domainname.empty()) && !is_private(s, ns.uts, Namespace::Uts)) {
        return Error("hostname and domainname need a private UTS namespace");
    }
    if (p.user_ns && (ns.uid_map.empty() || ns.gid_map.empty())) {
        return Error("a user namespace needs a uid_map and a gid_map");
    }
    return {};
}

}  // namespace

Result<ChildPlan> build_plan(const ContainerSpec& s, const Stdio& stdio,
                             std::vector<std::string>& warnings) {
    if (s.args.empty() || s.args[0].empty()) return Error("no command to run");
    if (!s.cwd.empty() && s.cwd.front() != '/') return Error("cwd " + s.cwd + " is not absolute");
    ChildPlan p;
    p.stdio = stdio;
    p.user_ns = s.namespaces.user;
    p.new_net = is_private(s, s.namespaces.net, Namespace::Net);
    const PrivateNamespaces priv{is_private(s, s.namespaces.ipc, Namespace::Ipc), p.new_net,
                                 is_private(s, s.namespaces.uts, Namespace::Uts)};
    for (auto step :
         {check_namespaces(s, p), plan_rootfs(s, p), plan_user(s, p), plan_security(s, p, warnings),
          plan_limits(s, priv, p, warnings), plan_mount_list(s, p), plan_devices(s, p)}) {
        if (!step) return step.error();
    }
    plan_process(s, p);
    plan_etc_files(s, p);
    return p;
}

}  // namespace berth::engine::detail
