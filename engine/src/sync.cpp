#include "sync.hpp"

#include <errno.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <string>

namespace berth::engine::detail {
namespace {

ChildReport g_report;

constexpr std::array<const char*, static_cast<int>(Step::CopyUp) + 1> kStepNames = {
    "wait for the parent",
    "setresuid",
    "setresgid",
    "prctl",
    "setns",
    "unshare",
    "make / private",
    "mount overlay",
    "bind rootfs",
    "open_tree",
    "pivot_root",
    "umount old root",
    "mount",
    "mkdir",
    "mknod",
    "symlink",
    "verify /dev/null",
    "mask",
    "make read-only",
    "remount / read-only",
    "sysctl",
    "sethostname",
    "setdomainname",
    "bring up lo",
    "setrlimit",
    "write oom_score_adj",
    "setsid",
    "allocate terminal",
    "capabilities",
    "setgroups",
    "no_new_privs",
    "chdir",
    "verify cwd",
    "fork init child",
    "close fds",
    "exec",
    "copy the image's content into the volume at",
};

}  // namespace

bool fail(Step step, const char* path, int err) {
    g_report.step = static_cast<int>(step);
    g_report.err = err < 0 ? errno : err;
    g_report.path[0] = '\0';
    if (path) {
        std::size_t n = strnlen(path, sizeof(g_report.path) - 1);
        std::memcpy(g_report.path, path, n);
        g_report.path[n] = '\0';
    }
    return false;
}

const ChildReport& last_report() {
    return g_report;
}

int failed_errno() {
    return g_report.err;
}

void send_report(int sync_fd) {
    // SOCK_SEQPACKET: one write is one message, so the parent never sees half a report.
    ssize_t n;
    do {
        n = write(sync_fd, &g_report, sizeof g_report);
    } while (n < 0 && errno == EINTR);
}

Error report_error(const ChildReport& r) {
    const int idx = r.step >= 0 && r.step < static_cast<int>(kStepNames.size()) ? r.step : 0;
    const std::string path(r.path, strnlen(r.path, sizeof r.path));
    std::string what = kStepNames[idx];
    if (static_cast<Step>(idx) == Step::Exec) {
        what += " \"" + path + "\"";
    } else if (!path.empty()) {
        what += " " + path;
    }
    if (r.err == 0) return Error(what);
    return errno_error(what, r.err);
}

}  // namespace berth::engine::detail
