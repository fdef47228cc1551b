// exec: a new process inside a running container. This single-threaded process opens every
// namespace of PID 1, joins its cgroup, setns()es into them, then forks (a pid namespace applies
// to children only); the child takes the container's user, capabilities and no_new_privs and
// execs, reporting failures over a socket exactly as the launch child does.
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>

#include "../child_plan.hpp"
#include "../host_read.hpp"
#include "../process_setup.hpp"
#include "../sync.hpp"
#include "ctr.hpp"
#include "engine/launch.hpp"
#include "engine/terminal_relay.hpp"
#include "engine/users.hpp"

namespace berth::engine::ctr {
namespace {

struct NsFile {
    const char* name;
    int type;
};
// The user namespace first: it owns the others, and joining it gives the capabilities the other
// setns() calls need. The mount namespace last: it changes our root and cwd.
constexpr NsFile kNamespaces[] = {{"user", CLONE_NEWUSER}, {"ipc", CLONE_NEWIPC},
                                  {"uts", CLONE_NEWUTS},   {"net", CLONE_NEWNET},
                                  {"pid", CLONE_NEWPID},   {"cgroup", CLONE_NEWCGROUP},
                                  {"mnt", CLONE_NEWNS}};

bool same_namespace(int fd, const char* name) {
    struct stat ours {
    }, theirs{};
    const std::string self = std::string("/proc/self/ns/") + name;
    return stat(self.c_str(), &ours) == 0 && fstat(fd, &theirs) == 0 &&
           ours.st_ino == theirs.st_ino && ours.st_dev == theirs.st_dev;
}

// All fds are opened before the first setns: once in the container's mount namespace, /proc
// paths of the host would resolve differently.
Result<void> join_namespaces(pid_t pid) {
    std::vector<std::pair<int, NsFile>> fds;
    for (const auto& ns : kNamespaces) {
        const std::string path = "/proc/" + std::to_string(pid) + "/ns/" + ns.name;
        int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            for (auto& [f, n] : fds) close(f);
            return errno_error("open " + path, errno);
        }
        if (same_namespace(fd, ns.name)) {
            close(fd);
            continue;
        }
        fds.emplace_back(fd, ns);
    }
    Result<void> result;
    for (auto& [fd, ns] : fds) {
        if (result && setns(fd, ns.type) < 0) {
            result = errno_error(std::string("setns ") + ns.name, errno);
        }
        close(fd);
    }
    return result;
}

Result<ExecUser> exec_user(pid_t pid, const Container& c, const ExecOptions& o) {
    const std::vector<std::string> root{"/proc/" + std::to_string(pid) + "/root"};
    auto passwd = detail::read_image_file(root, "etc/passwd");
    if (!passwd) return passwd.error();
    auto group = detail::read_image_file(root, "etc/group");
    if (!group) return group.error();
    return resolve_user(o.user.value_or(c.options.spec.user), c.options.spec.additional_groups,
                        parse_passwd(passwd->value_or("")), parse_group(group->value_or("")));
}

std::vector<std::string> exec_env(const Container& c, const ExecOptions& o, const ExecUser& u) {
    std::vector<std::string> env = c.options.spec.env;
    auto set = [&env](const std::string& kv) {
        const std::string key = kv.substr(0, kv.find('=') + 1);
        for (auto& e : env) {
            if (e.rfind(key, 0) == 0) {
                e = kv;
                return;
            }
        }
        env.push_back(kv);
    };
    bool has_home = false;
    for (const auto& e : env) has_home |= e.rfind("HOME=", 0) == 0;
    if (!has_home) env.push_back("HOME=" + u.home);
    for (const auto& kv : o.env) set(kv);
    return env;
}

detail::ChildPlan exec_plan(const Container& c, const ExecOptions& o, ExecUser user) {
    detail::ChildPlan p;
    p.user = std::move(user);
    p.caps = c.state->caps;
    p.last_cap = std::min(detail::read_cap_last_cap(), 63);
    p.no_new_privs = c.options.spec.no_new_privileges;
    p.cwd = o.cwd.value_or(c.options.spec.cwd);
    p.args = o.args;
    p.env = exec_env(c, o, p.user);
    p.path_env = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    for (const auto& e : p.env) {
        if (e.rfind("PATH=", 0) == 0) p.path_env = e.substr(5);
    }
    for (const auto& a : p.args) p.argv.push_back(a.c_str());
    p.argv.push_back(nullptr);
    for (const auto& e : p.env) p.envp.push_back(e.c_str());
    p.envp.push_back(nullptr);
    return p;
}

// The child: terminal or detached stdio, identity, fds, cwd, exec. Only the steps shared with the
// launch child, which record failures without allocating.
[[noreturn]] void exec_child(detail::ChildPlan& p, int sync_fd, int pty_slave, bool detach) {
    if (pty_slave >= 0 || detach) setsid();
    if (pty_slave >= 0) {
        for (int fd = 0; fd < 3; ++fd) dup2(pty_slave, fd);
        ioctl(0, TIOCSCTTY, 0);
    } else if (detach) {
        int null_fd = open("/dev/null", O_RDWR);
        for (int fd = 0; fd < 3; ++fd) dup2(null_fd, fd);
    }
    if (detail::drop_privileges(p) && detail::close_fds_except(sync_fd) && detail::enter_cwd(p)) {
        detail::exec_command(p);
    }
    detail::send_report(sync_fd);
    _exit(detail::failed_errno() == ENOENT ? 127 : 126);
}

Result<void> wait_exec(int sync_fd) {
    detail::ChildReport report;
    ssize_t n;
    while ((n = read(sync_fd, &report, sizeof report)) < 0 && errno == EINTR) {
    }
    if (n == static_cast<ssize_t>(sizeof report)) return detail::report_error(report);
    return {};
}

// Opened after joining the mount namespace: the pty belongs to the container's devpts, so the
// command sees a /dev/pts/N that exists inside.
Result<std::pair<int, int>> open_pty() {
    int master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) return errno_error("open /dev/pts/ptmx", errno);
    int unlock = 0;
    ioctl(master, TIOCSPTLCK, &unlock);
    int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
    if (slave < 0) {
        int err = errno;
        close(master);
        return errno_error("open the pty peer", err);
    }
    return std::pair{master, slave};
}

int status_code(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 255;
}

Result<int> run_child(detail::ChildPlan& plan, const ExecOptions& o) {
    std::pair<int, int> pty{-1, -1};
    if (o.tty) {
        auto p = open_pty();
        if (!p) return p.error();
        pty = *p;
    }
    int sync[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sync) < 0) {
        return errno_error("socketpair", errno);
    }
    pid_t child = fork();
    if (child < 0) return errno_error("fork", errno);
    if (child == 0) {
        close(sync[0]);
        exec_child(plan, sync[1], pty.second, o.detach);
    }
    close(sync[1]);
    if (pty.second >= 0) close(pty.second);
    auto execed = wait_exec(sync[0]);
    close(sync[0]);
    if (!execed) {
        waitpid(child, nullptr, 0);
        return execed.error();
    }
    if (o.detach) return 0;
    if (pty.first >= 0) engine::relay_terminal(pty.first);
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    return status_code(status);
}

}  // namespace

Result<int> exec(const std::string& root, const std::string& id, const ExecOptions& o) {
    auto c = load(root, id);
    if (!c) return c.error();
    if (c->status == Status::Paused) return Error("container " + id + " is paused");
    if (c->status != Status::Running) return Error("container " + id + " is not running");
    if (o.args.empty()) return Error("exec: no command given");
    // Until execve, /proc/<pid>/{mem,fd,exe} of this process stay closed to the container.
    prctl(PR_SET_DUMPABLE, 0);
    const pid_t pid = c->state->pid;
    auto user = exec_user(pid, *c, o);
    if (!user) return user.error().context("exec");
    auto plan = exec_plan(*c, o, std::move(*user));
    if (!c->state->cgroup.empty()) {
        auto cg = open_cgroup(*c);
        if (!cg) return cg.error().context("exec");
        if (auto r = (*cg)->add(getpid()); !r) return r.error().context("exec: join cgroup");
    }
    if (!same_process(pid, c->state->pid_start))
        return Error("container " + id + " is not running");
    if (auto r = join_namespaces(pid); !r) return r.error().context("exec");
    return run_child(plan, o);
}

}  // namespace berth::engine::ctr
