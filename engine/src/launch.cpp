// Parent side of the launch: clone with a sync socket, user namespace maps, the go byte, then
// wait for either the child's failure report or the end-of-file its exec causes.
#include "engine/launch.hpp"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "child_plan.hpp"
#include "engine/userns.hpp"
#include "sync.hpp"

namespace berth::engine {
namespace {

using detail::ChildPlan;

class Fd {
  public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }
    int get() const { return fd_; }
    int release() {
        int fd = fd_;
        fd_ = -1;
        return fd;
    }
    void reset(int fd = -1) {
        if (fd_ >= 0) close(fd_);
        fd_ = fd;
    }

  private:
    int fd_;
};

const char* ns_file(Namespace kind) {
    switch (kind) {
        case Namespace::Mount:
            return "mnt";
        case Namespace::Uts:
            return "uts";
        case Namespace::Ipc:
            return "ipc";
        case Namespace::Pid:
            return "pid_for_children";
        case Namespace::Net:
            return "net";
        case Namespace::User:
            return "user";
        case Namespace::Cgroup:
            return "cgroup";
    }
    return "";
}

int clone_flags(const ContainerSpec& s, bool defer_cgroupns) {
    const auto& ns = s.namespaces;
    auto fresh = [&](bool want, Namespace kind, int flag) {
        return want && !ns.join.count(kind) ? flag : 0;
    };
    return fresh(ns.mount, Namespace::Mount, CLONE_NEWNS) |
           fresh(ns.uts, Namespace::Uts, CLONE_NEWUTS) |
           fresh(ns.ipc, Namespace::Ipc, CLONE_NEWIPC) |
           fresh(ns.pid, Namespace::Pid, CLONE_NEWPID) |
           fresh(ns.net, Namespace::Net, CLONE_NEWNET) |
           fresh(ns.cgroup && !defer_cgroupns, Namespace::Cgroup, CLONE_NEWCGROUP) |
           (ns.user ? CLONE_NEWUSER : 0);
}

// Joined net/ipc/uts/pid namespaces are entered by the parent around clone(): the child then
// starts in them, and a pid namespace can only be entered for children anyway. The parent goes
// back to its own namespaces right after. (Mount namespaces are joined by the child, because
// setns(CLONE_NEWNS) would also move our root and cwd.)
class JoinedNamespaces {
  public:
    Result<void> enter(const ContainerSpec& s) {
        for (const auto& [kind, path] : s.namespaces.join) {
            if (kind == Namespace::Mount || kind == Namespace::User) continue;
            const std::string own = std::string("/proc/self/ns/") + ns_file(kind);
            int saved = open(own.c_str(), O_RDONLY | O_CLOEXEC);
            if (saved < 0) return errno_error("open " + own, errno);
            saved_.push_back(saved);
            int target = open(path.c_str(), O_RDONLY | O_CLOEXEC);
            if (target < 0) return errno_error("open namespace " + path, errno);
            int rc = setns(target, 0);
            int err = errno;
            close(target);
            if (rc < 0) return errno_error("setns " + path, err);
        }
        return {};
    }
    ~JoinedNamespaces() {
        for (int fd : saved_) {
            setns(fd, 0);
            close(fd);
        }
    }

  private:
    std::vector<int> saved_;
};

Result<int> open_joined_mnt(const ContainerSpec& s) {
    auto it = s.namespaces.join.find(Namespace::Mount);
    if (it == s.namespaces.join.end()) return -1;
    int fd = open(it->second.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno_error("open namespace " + it->second, errno);
    return fd;
}

// cgroup.procs takes the pid as the writer sees it, which is why the parent does this.
Result<void> join_cgroups(pid_t pid, const std::vector<std::string>& procs_files) {
    const std::string text = std::to_string(pid);
    for (const auto& file : procs_files) {
        int fd = open(file.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd < 0) return errno_error("join cgroup " + file, errno);
        ssize_t n = write(fd, text.data(), text.size());
        int err = errno;
        close(fd);
        if (n < 0) return errno_error("join cgroup " + file, err);
    }
    return {};
}

Result<void> release_child(const ContainerSpec& s, pid_t pid, int sync_fd,
                           const std::vector<std::string>& procs_files) {
    if (auto joined = join_cgroups(pid, procs_files); !joined) return joined;
    if (s.namespaces.user) {
        auto maps = write_id_maps(pid, s.namespaces.uid_map, s.namespaces.gid_map, geteuid() != 0);
        if (!maps) return maps;
    }
    const char go = 1;
    if (write(sync_fd, &go, 1) != 1) return errno_error("start container", errno);
    return {};
}

// One message from the child: the report, or (tty) a one-byte message carrying the pty master.
// Returns the byte count; *fd_out gets a passed fd.
ssize_t receive(int sync_fd, detail::ChildReport* report, int* fd_out) {
    iovec iov{report, sizeof *report};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n;
    do {
        n = recvmsg(sync_fd, &msg, MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); n >= 0 && c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            std::memcpy(fd_out, CMSG_DATA(c), sizeof(int));
        }
    }
    return n;
}

// EOF means the exec happened (the CLOEXEC socket closed); a report means it did not.
Result<void> wait_for_exec(pid_t pid, int sync_fd, Fd& pty_master) {
    detail::ChildReport report;
    for (;;) {
        int fd = -1;
        ssize_t n = receive(sync_fd, &report, &fd);
        const int recv_errno = errno;
        if (fd >= 0) pty_master.reset(fd);
        if (n == 0) return {};
        if (n == 1 && fd >= 0) continue;
        while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
        if (n < 0) return errno_error("read container status", recv_errno);
        if (static_cast<std::size_t>(n) != sizeof report) {
            return Error("short status from container");
        }
        return detail::report_error(report);
    }
}

void abort_child(pid_t pid) {
    kill(pid, SIGKILL);
    while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
}

}  // namespace

Result<Launched> launch(const ContainerSpec& spec, const Stdio& stdio) {
    return launch(spec, stdio, {});
}

Result<Launched> launch(const ContainerSpec& spec, const Stdio& stdio,
                        const std::vector<std::string>& cgroup_procs_files) {
    Launched out;
    auto plan = detail::build_plan(spec, stdio, out.warnings);
    if (!plan) return plan.error();
    const bool defer_cgroupns = spec.namespaces.cgroup && !cgroup_procs_files.empty() &&
                                !spec.namespaces.join.count(Namespace::Cgroup);
    plan->unshare_cgroupns = defer_cgroupns;
    auto mnt_fd = open_joined_mnt(spec);
    if (!mnt_fd) return mnt_fd.error();
    Fd joined_mnt(*mnt_fd);
    plan->join_mnt_fd = *mnt_fd;

    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
        return errno_error("socketpair", errno);
    }
    // With a closed stdin/stdout the socket could land on fd 0-2, which the child replaces with
    // its stdio; keep it above them.
    Fd parent_end(sv[0]), child_end(sv[1]);
    for (Fd* end : {&parent_end, &child_end}) {
        if (end->get() > 2) continue;
        int high = fcntl(end->get(), F_DUPFD_CLOEXEC, 3);
        if (high < 0) return errno_error("socketpair", errno);
        end->reset(high);
    }
    sv[0] = parent_end.get();
    sv[1] = child_end.get();
    plan->sync_fd = sv[1];

    pid_t pid;
    int clone_errno = 0;
    {
        JoinedNamespaces joined;
        auto entered = joined.enter(spec);
        if (!entered) return entered.error();
        // A raw clone behaves like fork (the child runs on a copy of our stack), which keeps the
        // child's code ordinary; glibc no longer caches the pid, so getpid() stays right.
        pid = static_cast<pid_t>(syscall(SYS_clone, clone_flags(spec, defer_cgroupns) | SIGCHLD,
                                         nullptr, nullptr, nullptr, 0));
        clone_errno = errno;
        if (pid == 0) {
            close(sv[0]);
            detail::child_main(*plan);
        }
    }
    if (pid < 0) return errno_error("clone", clone_errno);
    child_end.reset();
    joined_mnt.reset();

    auto released = release_child(spec, pid, parent_end.get(), cgroup_procs_files);
    if (!released) {
        abort_child(pid);
        return released.error();
    }
    Fd pty_master;
    auto exec = wait_for_exec(pid, parent_end.get(), pty_master);
    if (!exec) return exec.error();
    out.pid = pid;
    out.pty_master = pty_master.release();
    return out;
}

int launch_failure_status(const Error& error) {
    if (error.message().rfind("exec \"", 0) != 0) return 125;
    return error.errnum() == EACCES ? 126 : 127;
}

}  // namespace berth::engine
