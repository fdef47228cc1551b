// rlimits, sysctls and oom_score_adj, applied in the child.
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "process_setup.hpp"
#include "safe_path.hpp"
#include "sync.hpp"
#include "sys.hpp"

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

bool write_sysctls(const ChildPlan& p, int root_fd) {
    for (const auto& [path, value] : p.sysctls) {
        if (!write_proc_file(root_fd, path.c_str(), value.c_str(), Step::Sysctl)) return false;
    }
    return true;
}

bool apply_rlimits(const ChildPlan& p) {
    for (const auto& r : p.rlimits) {
        if (sys().setrlimit(r.resource, r.soft, r.hard) < 0) {
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

}  // namespace berth::engine::detail
