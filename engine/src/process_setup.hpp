// Per-process kernel settings applied in the child after the rootfs is ready: hostname, sysctls,
// loopback, rlimits, oom_score_adj, session; then identity and capabilities; then exec.
#pragma once

#include "child_plan.hpp"

namespace berth::engine::detail {

bool set_names(const ChildPlan& p);
bool write_sysctls(const ChildPlan& p, int root_fd);
bool bring_up_loopback();
bool apply_rlimits(const ChildPlan& p);
bool write_oom_score_adj(const ChildPlan& p, int root_fd);
bool new_session(const ChildPlan& p);

// tty: allocate the terminal in the container's devpts, send the master to the parent, make the
// slave stdio and /dev/console.
bool setup_terminal(const ChildPlan& p, int root_fd);

// Bounding set, supplementary groups, uid/gid, then the permitted/effective sets (inheritable and
// ambient empty), non-dumpable again, and no_new_privs when asked.
bool drop_privileges(const ChildPlan& p);

// chdir into the cwd and check it is inside the container (CVE-2024-21626).
bool enter_cwd(const ChildPlan& p);

// Closes every fd above 2 except keep_fd (-1 for none).
bool close_fds_except(int keep_fd);

// execve args[0], searching the container's PATH when it has no '/'. Returns only on failure,
// with the failure recorded.
void exec_command(const ChildPlan& p);

// init: true. Forks the command (which execs through exec_command) and stays as PID 1, forwarding
// signals and reaping zombies. Never returns.
[[noreturn]] void run_init(const ChildPlan& p);

}  // namespace berth::engine::detail
