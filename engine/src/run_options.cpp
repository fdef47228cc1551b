// The container options shared by berth-run and berth-ctr (see run_options.hpp).
#include "engine/run_options.hpp"

#include <cerrno>
#include <cstdlib>
#include <optional>

#include "engine/limits.hpp"

namespace berth::engine {
namespace {

enum Opt {
    kRootfs = 256,
    kLower,
    kUpper,
    kWork,
    kMerged,
    kStateDir,
    kHostname,
    kDomainname,
    kEnv,
    kCwd,
    kUser,
    kGroupAdd,
    kUmask,
    kBind,
    kTmpfs,
    kUserns,
    kUidmap,
    kGidmap,
    kNet,
    kJoinNs,
    kCapAdd,
    kCapDrop,
    kPrivileged,
    kSecurityOpt,
    kReadOnly,
    kSysctl,
    kUlimit,
    kOomScoreAdj,
    kDevice,
    kShmSize,
    kInit,
    kTty,
};

const option kOptions[] = {
    {"rootfs", required_argument, nullptr, kRootfs},
    {"lower", required_argument, nullptr, kLower},
    {"upper", required_argument, nullptr, kUpper},
    {"work", required_argument, nullptr, kWork},
    {"merged", required_argument, nullptr, kMerged},
    {"state-dir", required_argument, nullptr, kStateDir},
    {"hostname", required_argument, nullptr, kHostname},
    {"domainname", required_argument, nullptr, kDomainname},
    {"env", required_argument, nullptr, kEnv},
    {"cwd", required_argument, nullptr, kCwd},
    {"user", required_argument, nullptr, kUser},
    {"group-add", required_argument, nullptr, kGroupAdd},
    {"umask", required_argument, nullptr, kUmask},
    {"bind", required_argument, nullptr, kBind},
    {"tmpfs", required_argument, nullptr, kTmpfs},
    {"userns", no_argument, nullptr, kUserns},
    {"uidmap", required_argument, nullptr, kUidmap},
    {"gidmap", required_argument, nullptr, kGidmap},
    {"net", required_argument, nullptr, kNet},
    {"join-ns", required_argument, nullptr, kJoinNs},
    {"cap-add", required_argument, nullptr, kCapAdd},
    {"cap-drop", required_argument, nullptr, kCapDrop},
    {"privileged", no_argument, nullptr, kPrivileged},
    {"security-opt", required_argument, nullptr, kSecurityOpt},
    {"read-only", no_argument, nullptr, kReadOnly},
    {"sysctl", required_argument, nullptr, kSysctl},
    {"ulimit", required_argument, nullptr, kUlimit},
    {"oom-score-adj", required_argument, nullptr, kOomScoreAdj},
    {"device", required_argument, nullptr, kDevice},
    {"shm-size", required_argument, nullptr, kShmSize},
    {"init", no_argument, nullptr, kInit},
    {"tty", no_argument, nullptr, kTty},
};

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        auto pos = s.find(sep, start);
        out.push_back(s.substr(start, pos == std::string::npos ? pos : pos - start));
        if (pos == std::string::npos) return out;
        start = pos + 1;
    }
}

Result<std::uint64_t> parse_u64(const std::string& s, int base = 10) {
    if (s == "unlimited" || s == "-1") return kRlimInfinity;
    errno = 0;
    char* end = nullptr;
    unsigned long long v = std::strtoull(s.c_str(), &end, base);
    if (s.empty() || errno || *end != '\0' || s[0] == '-')
        return Error("invalid number \"" + s + "\"");
    return static_cast<std::uint64_t>(v);
}

Result<IdMapping> parse_idmap(const std::string& s) {
    auto f = split(s, ':');
    if (f.size() != 3) return Error("invalid id map \"" + s + "\" (want C:H:N)");
    IdMapping m;
    for (int i = 0; i < 3; ++i) {
        auto v = parse_u64(f[i]);
        if (!v || *v > 0xffffffffULL) return Error("invalid id map \"" + s + "\"");
        (i == 0 ? m.container_id : i == 1 ? m.host_id : m.size) = static_cast<std::uint32_t>(*v);
    }
    return m;
}

Result<Rlimit> parse_ulimit(const std::string& s) {
    auto eq = s.find('=');
    if (eq == std::string::npos)
        return Error("invalid ulimit \"" + s + "\" (want NAME=SOFT[:HARD])");
    auto vals = split(s.substr(eq + 1), ':');
    auto soft = parse_u64(vals[0]);
    if (!soft || vals.size() > 2) return Error("invalid ulimit \"" + s + "\"");
    auto hard = vals.size() == 2 ? parse_u64(vals[1]) : soft;
    if (!hard) return Error("invalid ulimit \"" + s + "\"");
    return Rlimit{s.substr(0, eq), *soft, *hard};
}

std::optional<Namespace> ns_kind(const std::string& k) {
    if (k == "mnt") return Namespace::Mount;
    if (k == "uts") return Namespace::Uts;
    if (k == "ipc") return Namespace::Ipc;
    if (k == "pid") return Namespace::Pid;
    if (k == "net") return Namespace::Net;
    return std::nullopt;
}

Result<void> apply_mount_opt(int opt, const std::string& arg, ContainerSpec& s) {
    Mount m;
    if (opt == kBind) {
        auto f = split(arg, ':');
        const std::string bad = "invalid --bind \"" + arg +
                                "\" (want SRC:DST[:OPTS], OPTS from ro, rw, copy, rprivate, "
                                "private, rshared, shared, rslave, slave)";
        if (f.size() < 2 || f.size() > 3) return Error(bad);
        m.type = Mount::Type::Bind;
        m.source = f[0];
        m.target = f[1];
        static const std::map<std::string, Propagation> kinds{
            {"rprivate", Propagation::RPrivate}, {"private", Propagation::Private},
            {"rshared", Propagation::RShared},   {"shared", Propagation::Shared},
            {"rslave", Propagation::RSlave},     {"slave", Propagation::Slave}};
        for (const auto& o : f.size() == 3 ? split(f[2], ',') : std::vector<std::string>{}) {
            if (o == "ro" || o == "rw") {
                m.read_only = o == "ro";
            } else if (o == "copy") {
                m.copy_up = true;
            } else if (auto k = kinds.find(o); k != kinds.end()) {
                m.propagation = k->second;
            } else {
                return Error(bad);
            }
        }
    } else {
        auto colon = arg.find(':');
        m.type = Mount::Type::Tmpfs;
        m.target = arg.substr(0, colon);
        // Docker's --tmpfs defaults; user options come after and win.
        m.options = {"noexec", "nosuid", "nodev"};
        if (colon != std::string::npos) m.options.push_back(arg.substr(colon + 1));
    }
    s.mounts.push_back(std::move(m));
    return {};
}

Result<void> apply_device(const std::string& arg, ContainerSpec& s) {
    auto f = split(arg, ':');
    if (f.size() > 3 || f[0].empty()) return Error("invalid --device \"" + arg + "\"");
    DeviceMapping d;
    d.host_path = f[0];
    d.container_path = f.size() > 1 && !f[1].empty() ? f[1] : f[0];
    if (f.size() == 3) d.permissions = f[2];
    s.devices.push_back(std::move(d));
    return {};
}

Result<void> apply_kv(int opt, const std::string& arg, ContainerSpec& s) {
    auto eq = arg.find('=');
    if (eq == std::string::npos || eq == 0) return Error("invalid \"" + arg + "\" (want K=V)");
    if (opt == kEnv) {
        s.env.push_back(arg);
    } else {
        s.sysctls[arg.substr(0, eq)] = arg.substr(eq + 1);
    }
    return {};
}

Result<void> apply_number_opt(int opt, const std::string& arg, ContainerSpec& s) {
    if (opt == kOomScoreAdj) {
        char* end = nullptr;
        long v = std::strtol(arg.c_str(), &end, 10);
        if (arg.empty() || *end != '\0') return Error("invalid --oom-score-adj \"" + arg + "\"");
        s.oom_score_adj = static_cast<int>(v);
        return {};
    }
    auto v = parse_u64(arg, opt == kUmask ? 8 : 10);
    if (!v || (opt == kUmask && *v > 0777)) return Error("invalid number \"" + arg + "\"");
    if (opt == kUmask) s.umask = static_cast<mode_t>(*v);
    if (opt == kShmSize) s.shm_size = *v;
    return {};
}

Result<void> apply_option(int opt, const std::string& arg, RunOptions& p) {
    ContainerSpec& s = p.spec;
    switch (opt) {
        case kRootfs:
            s.rootfs_dir = arg;
            return {};
        case kLower:
            s.lower_dirs.push_back(arg);
            return {};
        case kUpper:
            s.upper_dir = arg;
            return {};
        case kWork:
            s.work_dir = arg;
            return {};
        case kMerged:
            s.merged_dir = arg;
            return {};
        case kStateDir:
            s.state_dir = arg;
            return {};
        case kHostname:
            s.hostname = arg;
            return {};
        case kDomainname:
            s.domainname = arg;
            return {};
        case kCwd:
            s.cwd = arg;
            return {};
        case kUser:
            s.user = arg;
            return {};
        case kGroupAdd:
            s.additional_groups.push_back(arg);
            return {};
        case kUserns:
            p.userns = true;
            return {};
        case kCapAdd:
            s.cap_add.push_back(arg);
            return {};
        case kCapDrop:
            s.cap_drop.push_back(arg);
            return {};
        case kPrivileged:
            s.privileged = true;
            return {};
        case kReadOnly:
            s.read_only_rootfs = true;
            return {};
        case kInit:
            s.init = true;
            return {};
        case kTty:
            s.tty = true;
            return {};
        case kEnv:
        case kSysctl:
            return apply_kv(opt, arg, s);
        case kBind:
        case kTmpfs:
            return apply_mount_opt(opt, arg, s);
        case kDevice:
            return apply_device(arg, s);
        case kUmask:
        case kShmSize:
        case kOomScoreAdj:
            return apply_number_opt(opt, arg, s);
        case kUidmap:
        case kGidmap: {
            auto m = parse_idmap(arg);
            if (!m) return m.error();
            p.userns = true;
            (opt == kUidmap ? s.namespaces.uid_map : s.namespaces.gid_map).push_back(*m);
            return {};
        }
        case kNet:
            if (arg != "host") return Error("--net takes only \"host\"");
            s.namespaces.net = false;
            return {};
        case kJoinNs: {
            auto colon = arg.find(':');
            auto kind = ns_kind(arg.substr(0, colon));
            if (colon == std::string::npos || !kind) {
                return Error("invalid --join-ns \"" + arg + "\" (want mnt|uts|ipc|pid|net:PATH)");
            }
            s.namespaces.join[*kind] = arg.substr(colon + 1);
            return {};
        }
        case kSecurityOpt:
            if (arg == "no-new-privileges:true" || arg == "no-new-privileges") {
                s.no_new_privileges = true;
            } else if (arg != "no-new-privileges:false") {
                return Error("unsupported --security-opt \"" + arg + "\"");
            }
            return {};
        case kUlimit: {
            auto r = parse_ulimit(arg);
            if (!r) return r.error();
            s.rlimits.push_back(*r);
            return {};
        }
    }
    return Error("unknown option");
}

}  // namespace

const char* run_options_usage() {
    return "  --rootfs DIR | --lower DIR... --upper DIR --work DIR --merged DIR\n"
           "  --state-dir DIR --hostname H --domainname D --env K=V --cwd DIR --user U\n"
           "  --group-add G --umask OCT --bind SRC:DST[:ro,PROPAGATION] --tmpfs DST[:OPTS]\n"
           "  --userns [--uidmap C:H:N] [--gidmap C:H:N] --net host --join-ns KIND:PATH\n"
           "  --cap-add C --cap-drop C --privileged --security-opt no-new-privileges:true\n"
           "  --read-only --sysctl K=V --ulimit NAME=SOFT[:HARD] --oom-score-adj N\n"
           "  --device HOST[:CONTAINER[:PERMS]] --shm-size BYTES --init --tty\n";
}

std::vector<option> run_option_table() {
    return {std::begin(kOptions), std::end(kOptions)};
}

Result<void> apply_run_option(int id, const std::string& arg, RunOptions& opts) {
    return apply_option(id, arg, opts);
}

Result<ContainerSpec> finish_run_options(RunOptions p, std::vector<std::string> args) {
    p.spec.args = std::move(args);
    if (p.spec.args.empty()) return Error("no command given ([options] -- CMD ...)");
    bool has_path = false;
    for (const auto& e : p.spec.env) has_path |= e.rfind("PATH=", 0) == 0;
    if (!has_path) {
        p.spec.env.insert(p.spec.env.begin(),
                          "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    }
    auto& ns = p.spec.namespaces;
    ns.user = p.userns;
    if (p.userns && ns.uid_map.empty()) ns.uid_map = {{0, 100000, 65536}};
    if (p.userns && ns.gid_map.empty()) ns.gid_map = {{0, 100000, 65536}};
    return std::move(p.spec);
}

}  // namespace berth::engine
