// berth-monitor, before the main loop: from the stored create options to a running PID 1.
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "../host_read.hpp"
#include "engine/capabilities.hpp"
#include "engine/launch.hpp"
#include "monitor.hpp"

namespace berth::engine::monitor {
namespace {

Result<void> load_options(Monitor& m) {
    auto text = read_text_file(m.paths.config());
    if (!text) return text.error();
    auto args = decode_config(*text);
    if (!args) return args.error();
    auto opts = parse_create_options(*args);
    if (!opts) return opts.error().context("stored options");
    m.options = std::move(*opts);
    return {};
}

// SIGCHLD arrives through a signalfd, so reaping happens in the loop and never interrupts a
// write. Termination signals are ignored: the monitor ends when its container does.
Result<void> setup_signals(Monitor& m) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    if (sigprocmask(SIG_BLOCK, &set, nullptr) < 0) return errno_error("sigprocmask", errno);
    m.signal_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    if (m.signal_fd < 0) return errno_error("signalfd", errno);
    for (int sig : {SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2}) {
        signal(sig, SIG_IGN);
    }
    return {};
}

Result<void> make_pipe(int& read_end, int& write_end) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) return errno_error("pipe", errno);
    read_end = fds[0];
    write_end = fds[1];
    return {};
}

// Our ends are non-blocking and large: a burst of output waits in the pipe, not in the
// container's write(2), while the log catches up.
Result<void> make_pipes(Monitor& m) {
    Pipes& p = m.pipes;
    if (auto r = make_pipe(p.in_read, p.in_write); !r) return r;
    fcntl(p.in_write, F_SETFL, O_NONBLOCK);
    if (m.options.spec.tty) return {};
    if (auto r = make_pipe(p.out_read, p.out_write); !r) return r;
    if (auto r = make_pipe(p.err_read, p.err_write); !r) return r;
    for (int fd : {p.out_read, p.err_read}) {
        fcntl(fd, F_SETFL, O_NONBLOCK);
        fcntl(fd, F_SETPIPE_SZ, 1 << 20);  // may be refused above pipe-max-size; 64 KiB then
    }
    return {};
}

bool has_limits(const Resources& r) {
    return r.memory || r.memory_reservation || r.memory_swap || r.cpu_quota || r.cpu_period ||
           r.cpu_shares || !r.cpuset_cpus.empty() || !r.cpuset_mems.empty() || r.pids_limit ||
           r.blkio_weight || !r.blkio_weight_device.empty() || !r.read_bps.empty() ||
           !r.write_bps.empty() || !r.read_iops.empty() || !r.write_iops.empty();
}

// A cgroup left by an earlier run of the same container (a monitor killed with -9) is removed
// first, so limits start from the defaults.
Result<void> setup_cgroup(Monitor& m, std::vector<std::string>& warnings) {
    auto mgr = detect_cgroups();
    if (!mgr) {
        if (has_limits(m.options.resources)) return mgr.error().context("cgroups");
        warnings.push_back("running without a cgroup: " + mgr.error().message());
        return {};
    }
    m.cgroups = std::move(*mgr);
    if (auto stale = m.cgroups->open(m.id); stale) (void)(*stale)->destroy();
    auto cg = m.cgroups->create(m.id);
    if (!cg) return cg.error().context("create cgroup");
    m.cgroup = std::move(*cg);
    if (auto r = m.cgroup->apply(m.options.resources); !r) {
        (void)m.cgroup->destroy();
        m.cgroup.reset();
        return r.error().context("cgroup limits");
    }
    return {};
}

void abort_pid1(Monitor& m) {
    kill(m.pid, SIGKILL);
    while (waitpid(m.pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    m.pid = -1;
}

Result<void> launch_pid1(Monitor& m, std::vector<std::string>& warnings) {
    Stdio stdio{m.pipes.in_read, m.pipes.out_write, m.pipes.err_write};
    // launch() writes the pid into the cgroup before the child runs its first instruction, so
    // nothing the container does escapes its limits.
    auto procs = m.cgroup ? m.cgroup->procs_files() : std::vector<std::string>{};
    auto launched = launch(m.options.spec, stdio, procs);
    if (!launched) return launched.error();
    m.pid = launched->pid;
    m.pipes.pty_master = launched->pty_master;
    for (auto& w : launched->warnings) warnings.push_back(std::move(w));
    return {};
}

// The container's ends now belong to it alone; holding them would keep the pipes from ever
// reaching end-of-file.
void close_container_ends(Pipes& p) {
    for (int* fd : {&p.in_read, &p.out_write, &p.err_write}) {
        if (*fd >= 0) close(*fd);
        *fd = -1;
    }
    if (p.pty_master >= 0) fcntl(p.pty_master, F_SETFL, O_NONBLOCK);
}

Result<void> write_state(Monitor& m) {
    ContainerState s;
    s.id = m.id;
    s.pid = m.pid;
    s.pid_start = process_start_time(m.pid).value_or(0);
    s.monitor_pid = getpid();
    s.monitor_start = process_start_time(getpid()).value_or(0);
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    s.started_at = rfc3339_nano(now);
    // The same arithmetic as launch(): exec gives its processes exactly PID 1's set.
    const auto& spec = m.options.spec;
    auto caps = compute_caps(spec.cap_add, spec.cap_drop, spec.privileged,
                             std::min(detail::read_cap_last_cap(), 63));
    s.caps = (caps ? *caps : kDockerDefaultCaps) & detail::permitted_caps();
    s.cgroup = m.cgroup ? m.cgroup->path() : "";
    return write_file_atomic(m.paths.state(), encode_state(s));
}

Result<void> start_steps(Monitor& m, std::vector<std::string>& warnings) {
    if (auto r = load_options(m); !r) return r;
    if (auto r = setup_signals(m); !r) return r;
    if (auto r = make_pipes(m); !r) return r;
    m.log =
        std::make_unique<LogWriter>(m.paths.log(), m.options.log_max_size, m.options.log_max_file);
    if (auto r = m.log->open(); !r) return r;
    if (auto r = setup_cgroup(m, warnings); !r) return r;
    if (auto r = launch_pid1(m, warnings); !r) return r;
    close_container_ends(m.pipes);
    const int stdin_fd = m.options.spec.tty ? m.pipes.pty_master : m.pipes.in_write;
    if (auto r = m.attach.listen(m.paths.attach(), stdin_fd); !r) return r;
    return write_state(m);
}

}  // namespace

Result<void> start_container(Monitor& m, std::vector<std::string>& warnings) {
    auto r = start_steps(m, warnings);
    if (!r) {
        if (m.pid > 0) abort_pid1(m);
        if (m.cgroup) {
            if (auto d = m.cgroup->destroy(); !d) {
                r = Error(r.error().message() + "; removing the cgroup: " + d.error().message(),
                          r.error().errnum());
            }
        }
        m.attach.close_all();
        return r;
    }
    // The launch plan's allocations are garbage now; give the pages back (RSS budget 2 MiB).
    malloc_trim(0);
    return {};
}

}  // namespace berth::engine::monitor
