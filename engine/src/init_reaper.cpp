// init: true. PID 1 of the container forks the command and stays as a minimal reaper, following
// tini's algorithm (krallin/tini src/tini.c): every catchable signal is blocked and taken with
// sigtimedwait, then forwarded to the command; orphans re-parented to PID 1 are reaped; PID 1
// exits with the command's status, or 128 + signal.
//
// PID 1 never execs, so /proc/1/exe is our host binary. It is non-dumpable (set before and after
// every credential change), which makes /proc/1/{exe,fd,mem,root} unopenable for the container's
// processes: ptrace_may_access() then requires CAP_SYS_PTRACE over the user namespace the
// process's mm belongs to, which is the host's (CVE-2019-5736). It also closes every fd, so it
// holds nothing of the host.
#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "process_setup.hpp"
#include "sync.hpp"

namespace berth::engine::detail {
namespace {

// Synchronous faults must keep their default action; SIGTTIN/SIGTTOU are ignored as tini does.
void blocked_set(sigset_t* set) {
    sigfillset(set);
    for (int sig : {SIGFPE, SIGILL, SIGSEGV, SIGBUS, SIGABRT, SIGTRAP, SIGSYS, SIGTTIN, SIGTTOU}) {
        sigdelset(set, sig);
    }
}

[[noreturn]] void exec_child(const ChildPlan& p, const sigset_t* old_mask) {
    // tini's isolate_child: the command gets its own process group, in the foreground of the
    // terminal (SIGTTOU is still ignored here).
    setpgid(0, 0);
    if (p.tty) tcsetpgrp(0, getpgrp());
    sigprocmask(SIG_SETMASK, old_mask, nullptr);
    signal(SIGTTIN, SIG_DFL);
    signal(SIGTTOU, SIG_DFL);
    exec_command(p);
    send_report(p.sync_fd);
    _exit(failed_errno() == EACCES ? 126 : 127);
}

// Our argv and environment still hold the engine's command line and host variables; the forked
// command has its own copy of memory, so blanking ours only changes what /proc/1/cmdline and
// /proc/1/environ show.
void hide_host_command_line(const ChildPlan& p) {
    static const char kName[] = "berth-init";
    prctl(PR_SET_NAME, kName, 0, 0, 0);
    if (p.env_start != nullptr && p.env_end > p.env_start) {
        std::memset(p.env_start, 0, static_cast<std::size_t>(p.env_end - p.env_start));
    }
    if (p.arg_start == nullptr || p.arg_end <= p.arg_start) return;
    const std::size_t len = static_cast<std::size_t>(p.arg_end - p.arg_start);
    std::memset(p.arg_start, 0, len);
    std::memcpy(p.arg_start, kName, std::min(len - 1, sizeof kName - 1));
}

int exit_code(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 1;
}

// Returns true once the command itself has been reaped.
bool reap(pid_t child, int* status) {
    bool done = false;
    for (;;) {
        int st = 0;
        pid_t pid = waitpid(-1, &st, WNOHANG);
        if (pid <= 0) return done;
        if (pid == child) {
            *status = st;
            done = true;
        }
    }
}

}  // namespace

[[noreturn]] void run_init(const ChildPlan& p) {
    sigset_t block, old;
    blocked_set(&block);
    sigprocmask(SIG_SETMASK, &block, &old);
    signal(SIGTTIN, SIG_IGN);
    signal(SIGTTOU, SIG_IGN);

    pid_t child = fork();
    if (child < 0) {
        fail(Step::Fork);
        send_report(p.sync_fd);
        _exit(125);
    }
    if (child == 0) exec_child(p, &old);

    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    close_range(0, ~0U, 0);
    hide_host_command_line(p);
    const timespec tick{1, 0};
    int status = 0;
    for (;;) {
        siginfo_t info{};
        int sig = sigtimedwait(&block, &info, &tick);
        if (sig > 0 && sig != SIGCHLD) kill(child, sig);
        if (reap(child, &status)) _exit(exit_code(status));
    }
}

}  // namespace berth::engine::detail
