#include "process_setup.hpp"

#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <linux/magic.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

#include "safe_path.hpp"
#include "sync.hpp"

namespace berth::engine::detail {
namespace {

bool write_all(int fd, const char* s) {
    const std::size_t n = std::strlen(s);
    return write(fd, s, n) == static_cast<ssize_t>(n);
}

// CVE-2025-52881: a procfs write must land in procfs. The file is opened inside the root without
// magic links (and without any symlink unless follow_self, for /proc/self) and checked with
// fstatfs before anything is written.
bool write_proc_file(int root_fd, const char* path, const char* value, Step step,
                     bool follow_self = false) {
    int fd = open_in_root(root_fd, path, 0, !follow_self);
    if (fd < 0) return fail(step, path);
    struct statfs sfs {};
    if (fstatfs(fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC) {
        close(fd);
        return fail(step, path, EXDEV);
    }
    char link[32];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    int wfd = open(link, O_WRONLY | O_CLOEXEC);
    int saved = errno;
    close(fd);
    if (wfd < 0) return fail(step, path, saved);
    bool ok = write_all(wfd, value);
    saved = errno;
    close(wfd);
    return ok || fail(step, path, saved);
}

}  // namespace

bool set_names(const ChildPlan& p) {
    if (!p.hostname.empty() && sethostname(p.hostname.data(), p.hostname.size()) < 0) {
        return fail(Step::Hostname, p.hostname.c_str());
    }
    if (!p.domainname.empty() && setdomainname(p.domainname.data(), p.domainname.size()) < 0) {
        return fail(Step::Domainname, p.domainname.c_str());
    }
    return true;
}

bool write_sysctls(const ChildPlan& p, int root_fd) {
    for (const auto& [path, value] : p.sysctls) {
        if (!write_proc_file(root_fd, path.c_str(), value.c_str(), Step::Sysctl)) return false;
    }
    return true;
}

bool bring_up_loopback() {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) return fail(Step::Loopback, "lo");
    ifreq ifr{};
    std::memcpy(ifr.ifr_name, "lo", 3);
    bool ok = ioctl(s, SIOCGIFFLAGS, &ifr) == 0;
    if (ok && !(ifr.ifr_flags & IFF_UP)) {
        ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
        ok = ioctl(s, SIOCSIFFLAGS, &ifr) == 0;
    }
    int saved = errno;
    close(s);
    return ok || fail(Step::Loopback, "lo", saved);
}

bool apply_rlimits(const ChildPlan& p) {
    for (const auto& r : p.rlimits) {
        rlimit lim{static_cast<rlim_t>(r.soft), static_cast<rlim_t>(r.hard)};
        if (setrlimit(static_cast<__rlimit_resource>(r.resource), &lim) < 0) {
            return fail(Step::Rlimit);
        }
    }
    return true;
}

bool write_oom_score_adj(const ChildPlan& p, int root_fd) {
    if (p.oom_score_adj.empty()) return true;
    return write_proc_file(root_fd, "/proc/self/oom_score_adj", p.oom_score_adj.c_str(),
                           Step::OomScoreAdj, true);
}

bool new_session(const ChildPlan& p) {
    if (setsid() < 0) return fail(Step::Setsid);
    // A fresh anonymous session keyring, so the container does not share the host's (runc does the
    // same). Kernels without keys, or a user out of key quota, just keep going.
    if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, nullptr) < 0 && errno != ENOSYS &&
        errno != EDQUOT) {
        return fail(Step::Setsid, "session keyring");
    }
    // The container's terminal becomes the session's controlling terminal, so job control and ^C
    // reach the container's processes.
    if (p.tty && ioctl(0, TIOCSCTTY, 0) < 0) return fail(Step::Setsid, "/dev/console");
    return true;
}

bool close_fds_except(int keep_fd) {
    // CVE-2024-21626: no fd of ours may reach the container (a leaked directory fd is a way out
    // through /proc/self/fd/N).
    const unsigned int keep = keep_fd < 0 ? 0 : static_cast<unsigned int>(keep_fd);
    if (keep_fd > 3 && close_range(3, keep - 1, 0) < 0) return fail(Step::CloseFds);
    const unsigned int from = keep_fd >= 3 ? keep + 1 : 3;
    if (close_range(from, ~0U, 0) < 0) return fail(Step::CloseFds);
    return true;
}

bool enter_cwd(const ChildPlan& p) {
    if (chdir(p.cwd.c_str()) < 0) return fail(Step::Chdir, p.cwd.c_str());
    // getcwd reports "(unreachable)/..." or ENOENT when the cwd is outside our root.
    char buf[PATH_MAX];
    if (getcwd(buf, sizeof buf) == nullptr) return fail(Step::VerifyCwd, p.cwd.c_str());
    if (buf[0] != '/') return fail(Step::VerifyCwd, p.cwd.c_str(), EPERM);
    return true;
}

void exec_command(const ChildPlan& p) {
    const char* file = p.argv[0];
    char* const* argv = const_cast<char* const*>(p.argv.data());
    char* const* envp = const_cast<char* const*>(p.envp.data());
    if (std::strchr(file, '/')) {
        execve(file, argv, envp);
        fail(Step::Exec, file);
        return;
    }
    int first_err = ENOENT;
    const char* dir = p.path_env.c_str();
    char buf[PATH_MAX];
    while (true) {
        const char* end = std::strchr(dir, ':');
        std::size_t len = end ? static_cast<std::size_t>(end - dir) : std::strlen(dir);
        int n = len == 0 ? snprintf(buf, sizeof buf, "%s", file)
                         : snprintf(buf, sizeof buf, "%.*s/%s", static_cast<int>(len), dir, file);
        if (n > 0 && static_cast<std::size_t>(n) < sizeof buf) {
            execve(buf, argv, envp);
            // Keep looking after ENOENT/ENOTDIR, as execvp does; remember a permission problem.
            if (errno == EACCES)
                first_err = EACCES;
            else if (errno != ENOENT && errno != ENOTDIR)
                first_err = errno;
        }
        if (!end) break;
        dir = end + 1;
    }
    fail(Step::Exec, file, first_err);
}

}  // namespace berth::engine::detail
