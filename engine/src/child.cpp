// The clone child: everything between clone() and execve(), in runc/crun order
// (../shared/reference/runtime-checklist.md §0). Only async-signal-safe calls, no allocation: the
// plan was built by the parent. Every step reports its failure through fail() and the sequence
// stops at the first one.
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "child_plan.hpp"
#include "process_setup.hpp"
#include "rootfs.hpp"
#include "sync.hpp"

namespace berth::engine::detail {
namespace {

bool use_stdio(const Stdio& s) {
    const int fds[3] = {s.in, s.out, s.err};
    for (int target = 0; target < 3; ++target) {
        if (fds[target] >= 0 && fds[target] != target && dup2(fds[target], target) < 0) {
            return fail(Step::CloseFds, "stdio");
        }
    }
    return true;
}

bool wait_for_parent(int sync_fd) {
    char go = 0;
    ssize_t n;
    do {
        n = read(sync_fd, &go, 1);
    } while (n < 0 && errno == EINTR);
    if (n != 1) return fail(Step::SyncWait, nullptr, n == 0 ? EPIPE : errno);
    return true;
}

// The parent has written our uid/gid maps; become root of the new user namespace.
bool become_ns_root() {
    if (setresgid(0, 0, 0) < 0) return fail(Step::SetGid, "0");
    if (setresuid(0, 0, 0) < 0) return fail(Step::SetId, "0");
    return true;
}

bool setup_rootfs(ChildPlan& p, int* root_fd) {
    if (p.join_mnt_fd >= 0) {
        if (setns(p.join_mnt_fd, CLONE_NEWNS) < 0) return fail(Step::Setns, "mnt");
        close(p.join_mnt_fd);
        *root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        return *root_fd >= 0 || fail(Step::Setns, "/");
    }
    if (!prepare_rootfs(p)) return false;
    // The mounts go in before pivot_root, relative to an fd of the new root: in a user namespace
    // the kernel only allows a new proc or sysfs while a fully visible one is still mounted in
    // this mount namespace (fs/namespace.c mount_too_revealing), i.e. before the old root goes.
    int rootfs_fd = open(p.rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfs_fd < 0) return fail(Step::Mount, p.rootfs.c_str());
    bool ok = mount_all(p, rootfs_fd);
    close(rootfs_fd);
    return ok && pivot_into_rootfs(p, root_fd);
}

// runc's order after the rootfs: sysctls before /proc/sys becomes read-only, then the read-only
// and masked paths, then / read-only.
bool harden_rootfs(const ChildPlan& p, int root_fd) {
    if (!write_sysctls(p, root_fd)) return false;
    if (p.join_mnt_fd >= 0) return true;
    if (!make_paths_readonly(p, root_fd) || !mask_paths(p, root_fd)) return false;
    return !p.read_only_rootfs || remount_root_readonly(root_fd);
}

// Blocked and ignored signals survive execve; the container starts with none of the engine's.
void reset_signals() {
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig) {
        if (sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &dfl, nullptr);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
}

bool setup(ChildPlan& p) {
    reset_signals();
    if (!use_stdio(p.stdio)) return false;
    // If the engine dies before the exec, do not leave a half-made container behind.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) return fail(Step::Prctl, "PR_SET_PDEATHSIG");
    // CVE-2019-5736: this process runs the engine binary inside the container's namespaces; keep
    // /proc/<pid>/exe, fd and mem closed to anything in there until execve.
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) return fail(Step::Prctl, "PR_SET_DUMPABLE");
    umask(0);  // devices and directories get exactly the modes we ask for
    if (!wait_for_parent(p.sync_fd)) return false;
    if (p.user_ns && !become_ns_root()) return false;
    // A credential change clears the parent-death signal; set it again for the setup phase.
    if (p.user_ns && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) {
        return fail(Step::Prctl, "PR_SET_PDEATHSIG");
    }
    if (p.unshare_cgroupns && unshare(CLONE_NEWCGROUP) < 0) return fail(Step::Unshare, "cgroup");

    int root_fd = -1;
    if (!setup_rootfs(p, &root_fd)) return false;
    if (!setup_terminal(p, root_fd)) return false;
    if (!set_names(p)) return false;
    if (!harden_rootfs(p, root_fd)) return false;
    if (p.new_net && !bring_up_loopback()) return false;
    if (!apply_rlimits(p) || !write_oom_score_adj(p, root_fd)) return false;
    close(root_fd);
    if (!new_session(p)) return false;
    if (!drop_privileges(p)) return false;
    if (!close_fds_except(p.sync_fd)) return false;
    if (!enter_cwd(p)) return false;
    umask(p.umask);
    // Past this point the container lives on its own, as with `docker run`: if the launcher is
    // killed, the container is not (whether the uid changed or not).
    if (prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0) < 0) return fail(Step::Prctl, "PR_SET_PDEATHSIG");
    return true;
}

}  // namespace

[[noreturn]] void child_main(ChildPlan& p) {
    if (!setup(p)) {
        send_report(p.sync_fd);
        _exit(125);
    }
    if (p.init) run_init(p);
    exec_command(p);
    send_report(p.sync_fd);
    _exit(failed_errno() == EACCES ? 126 : 127);
}

}  // namespace berth::engine::detail
