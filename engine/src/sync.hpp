// The child -> parent failure report: {step, errno, path} over the sync socket. A successful exec
// closes the socket (SOCK_CLOEXEC), which the parent sees as end-of-file.
#pragma once

#include <limits.h>

#include "common/result.hpp"

namespace berth::engine::detail {

enum class Step : int {
    SyncWait,
    SetId,
    SetGid,
    Prctl,
    Setns,
    Unshare,
    MountPrivate,
    MountOverlay,
    BindRootfs,
    OpenTree,
    PivotRoot,
    UmountOldRoot,
    Mount,
    Mkdir,
    Mknod,
    Symlink,
    VerifyDevNull,
    MaskPath,
    ReadonlyPath,
    RemountRo,
    Sysctl,
    Hostname,
    Domainname,
    Loopback,
    Rlimit,
    OomScoreAdj,
    Setsid,
    Terminal,
    Capabilities,
    Setgroups,
    NoNewPrivs,
    Chdir,
    VerifyCwd,
    Fork,
    CloseFds,
    Exec,
    CopyUp,
};

struct ChildReport {
    int step = 0;
    int err = 0;
    char path[PATH_MAX] = {};
};

// Child side: remembers the failure (async-signal-safe, no allocation) and returns false, so
// steps chain as `if (!x()) return false;`.
bool fail(Step step, const char* path = nullptr, int err = -1);

// Child side (and tests): the remembered failure.
const ChildReport& last_report();

// Child side: the errno of the remembered failure.
int failed_errno();

// Child side: sends the remembered failure to the parent.
void send_report(int sync_fd);

// Parent side: the report as an Error, e.g. "pivot_root /x/merged: Invalid argument" or
// `exec "foo": No such file or directory`.
Error report_error(const ChildReport& r);

}  // namespace berth::engine::detail
