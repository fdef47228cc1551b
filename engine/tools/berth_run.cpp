// berth-run: runs one container by hand from a rootfs folder (or overlay layers) and waits for it.
// Exit status: the container's (128 + signal when killed), 125 when the launch failed, 127/126
// when the command could not be found/executed. See docs/engine.md.
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "engine/launch.hpp"
#include "engine/limits.hpp"
#include "run_cgroup.hpp"

namespace {

using berth::Error;
using berth::Result;
using namespace berth::engine;

constexpr const char* kUsage =
    "usage: berth-run [options] -- CMD [ARGS...]\n"
    "  --rootfs DIR | --lower DIR... --upper DIR --work DIR --merged DIR\n"
    "  --state-dir DIR --hostname H --domainname D --env K=V --cwd DIR --user U\n"
    "  --group-add G --umask OCT --bind SRC:DST[:ro] --tmpfs DST[:OPTS]\n"
    "  --userns [--uidmap C:H:N] [--gidmap C:H:N] --net host --join-ns KIND:PATH\n"
    "  --cap-add C --cap-drop C --privileged --security-opt no-new-privileges:true\n"
    "  --read-only --sysctl K=V --ulimit NAME=SOFT[:HARD] --oom-score-adj N\n"
    "  --device HOST[:CONTAINER[:PERMS]] --shm-size BYTES --init --tty\n";

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
    kHelp,
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
    {"help", no_argument, nullptr, kHelp},
    {nullptr, 0, nullptr, 0},
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
        if (f.size() < 2 || f.size() > 3 || (f.size() == 3 && f[2] != "ro" && f[2] != "rw")) {
            return Error("invalid --bind \"" + arg + "\" (want SRC:DST[:ro])");
        }
        m.type = Mount::Type::Bind;
        m.source = f[0];
        m.target = f[1];
        m.read_only = f.size() == 3 && f[2] == "ro";
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

struct Parsed {
    ContainerSpec spec;
    bool userns = false;
    berth::run::CgroupRequest cgroup;
};

Result<void> apply_option(int opt, const std::string& arg, Parsed& p) {
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

std::vector<option> all_options() {
    std::vector<option> all;
    for (const option* o = kOptions; o->name; ++o) all.push_back(*o);
    for (const option* o = berth::run::kCgroupOptions; o->name; ++o) all.push_back(*o);
    all.push_back({nullptr, 0, nullptr, 0});
    return all;
}

Result<Parsed> parse_args(int argc, char** argv) {
    Parsed p;
    p.spec.env = {};
    int opt;
    opterr = 0;
    const auto options = all_options();
    while ((opt = getopt_long(argc, argv, "+h", options.data(), nullptr)) != -1) {
        if (opt == 'h' || opt == kHelp) {
            std::fputs(kUsage, stdout);
            std::fputs(berth::run::kCgroupUsage, stdout);
            std::exit(0);
        }
        if (opt == '?') return Error(std::string("unknown option ") + argv[optind - 1]);
        auto r = berth::run::is_cgroup_option(opt)
                     ? berth::run::apply_cgroup_option(opt, optarg ? optarg : "", p.cgroup)
                     : apply_option(opt, optarg ? optarg : "", p);
        if (!r) return r.error();
    }
    for (int i = optind; i < argc; ++i) p.spec.args.emplace_back(argv[i]);
    if (p.spec.args.empty()) return Error("no command given (berth-run [options] -- CMD ...)");
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
    return p;
}

volatile sig_atomic_t g_child = 0;

// Signals to berth-run go to the container, like `docker run`'s signal proxy.
void forward(int sig) {
    if (g_child > 0) kill(g_child, sig);
}

volatile sig_atomic_t g_winch = 0;
int g_pty_master = -1;

void forward_or_resize(int sig) {
    if (sig == SIGWINCH && g_pty_master >= 0) {
        g_winch = 1;
        return;
    }
    forward(sig);
}

bool copy(int from, int to) {
    char buf[8192];
    ssize_t n = read(from, buf, sizeof buf);
    if (n <= 0) return n < 0 && errno == EINTR;
    for (ssize_t off = 0; off < n;) {
        ssize_t w = write(to, buf + off, static_cast<std::size_t>(n - off));
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return false;
        off += w;
    }
    return true;
}

void copy_window_size(int master) {
    winsize ws{};
    if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0) ioctl(master, TIOCSWINSZ, &ws);
}

// --tty: our terminal (raw while the container runs) <-> the container's pty, until the container
// side hangs up.
void proxy_terminal(int master) {
    termios saved{};
    const bool raw = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
    if (raw) {
        termios t = saved;
        cfmakeraw(&t);
        tcsetattr(STDIN_FILENO, TCSANOW, &t);
        copy_window_size(master);
    }
    pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {master, POLLIN, 0}};
    for (;;) {
        if (g_winch) {
            g_winch = 0;
            copy_window_size(master);
        }
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            if (!copy(master, STDOUT_FILENO)) break;
        }
        if (fds[0].revents & (POLLIN | POLLHUP)) {
            if (!copy(STDIN_FILENO, master)) fds[0].fd = -1;  // our stdin ended; keep reading
        }
    }
    if (raw) tcsetattr(STDIN_FILENO, TCSANOW, &saved);
}

int wait_container(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return 125;
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 125;
}

}  // namespace

int main(int argc, char** argv) {
    auto parsed = parse_args(argc, argv);
    if (!parsed) {
        std::fprintf(stderr, "berth-run: %s\n%s", parsed.error().message().c_str(), kUsage);
        return 125;
    }
    auto group = berth::run::make_cgroup(parsed->cgroup);
    if (!group) {
        std::fprintf(stderr, "berth-run: %s\n", group.error().message().c_str());
        return 125;
    }
    berth::run::CgroupGuard guard(std::move(*group));
    auto launched = launch(parsed->spec, {}, guard.procs_files());
    if (!launched) {
        std::fprintf(stderr, "berth-run: %s\n", launched.error().message().c_str());
        return launch_failure_status(launched.error());
    }
    for (const auto& w : launched->warnings)
        std::fprintf(stderr, "berth-run: warning: %s\n", w.c_str());
    g_child = launched->pid;
    g_pty_master = launched->pty_master;
    struct sigaction sa {};
    sa.sa_handler = forward_or_resize;
    sa.sa_flags = SA_RESTART;
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH}) {
        sigaction(sig, &sa, nullptr);
    }
    if (launched->pty_master >= 0) {
        proxy_terminal(launched->pty_master);
        close(launched->pty_master);
    }
    return guard.finish(wait_container(launched->pid));
}
