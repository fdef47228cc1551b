// berth-monitor's main loop: output to the log, stdin from attach clients, reaping, and the exit
// record.
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include "monitor.hpp"

namespace berth::engine::monitor {
namespace {

// After PID 1 is gone, output still in the pipes is read until end-of-file. A process outside the
// container's pid namespace (--join-ns pid) could keep a pipe open forever, hence a limit.
constexpr int kDrainLimitMs = 2000;

struct Output {
    int fd;
    LogStream stream;
    LineSplitter lines;
};

struct LoopState {
    std::vector<Output> outputs;
    bool exited = false;
    int status = 0;
    std::chrono::steady_clock::time_point exited_at;
};

// Reads what is there now; returns false at end-of-file. EIO is how a pty master reports that
// every slave fd is closed.
bool drain(Output& o, LogWriter& log) {
    char buf[65536];
    for (int round = 0; round < 16; ++round) {  // bounded, so one stream cannot starve the other
        ssize_t n = read(o.fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return true;
        if (n <= 0) {
            o.lines.finish([&](std::string_view line) { log.write(o.stream, line); });
            return false;
        }
        o.lines.feed({buf, static_cast<std::size_t>(n)},
                     [&](std::string_view line) { log.write(o.stream, line); });
    }
    return true;
}

// Every child is reaped: PID 1, and as a subreaper also anything orphaned below us.
void reap(Monitor& m, LoopState& st) {
    signalfd_siginfo info;
    while (read(m.signal_fd, &info, sizeof info) == sizeof info) {
    }
    for (;;) {
        int status = 0;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid <= 0) return;
        if (pid == m.pid && !st.exited) {
            st.exited = true;
            st.status = status;
            st.exited_at = std::chrono::steady_clock::now();
        }
    }
}

int exit_code(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 255;
}

int poll_timeout(const LoopState& st) {
    if (!st.exited) return -1;
    auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - st.exited_at)
                     .count();
    return spent >= kDrainLimitMs ? 0 : static_cast<int>(kDrainLimitMs - spent);
}

bool done(const LoopState& st) {
    return st.exited && (st.outputs.empty() || poll_timeout(st) == 0);
}

void poll_once(Monitor& m, LoopState& st) {
    std::vector<pollfd> fds;
    fds.push_back({m.signal_fd, POLLIN, 0});
    for (const auto& o : st.outputs) fds.push_back({o.fd, POLLIN, 0});
    m.attach.add_pollfds(fds);
    if (poll(fds.data(), fds.size(), poll_timeout(st)) < 0) return;  // EINTR: go round
    if (fds[0].revents & POLLIN) reap(m, st);
    // stdout before stderr: a program that writes one then the other usually meant that order.
    std::vector<Output> open_outputs;
    for (std::size_t i = 0; i < st.outputs.size(); ++i) {
        const bool ready = fds[1 + i].revents & (POLLIN | POLLHUP | POLLERR);
        if (ready && !drain(st.outputs[i], *m.log)) {
            if (st.outputs[i].fd == m.pipes.pty_master) {
                m.attach.forget_stdin();  // before the fd number can be reused
                m.pipes.pty_master = -1;
            }
            close(st.outputs[i].fd);
            continue;
        }
        open_outputs.push_back(std::move(st.outputs[i]));
    }
    st.outputs = std::move(open_outputs);
    m.log->flush();
    m.attach.handle(fds);
}

bool read_oom(Monitor& m) {
    if (!m.cgroup) return false;
    auto oom = m.cgroup->oom_killed();
    return oom && *oom;
}

void write_exit_record(Monitor& m, const LoopState& st, bool oom) {
    ExitRecord e;
    e.exit_code = exit_code(st.status);
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    e.finished_at = rfc3339_nano(now);
    e.oom_killed = oom;
    e.killed_after_timeout = access(m.paths.killed_marker().c_str(), F_OK) == 0;
    (void)write_file_atomic(m.paths.exit_record(), encode_exit(e));
}

}  // namespace

int run_until_exit(Monitor& m) {
    LoopState st;
    if (m.pipes.pty_master >= 0) {
        st.outputs.push_back({m.pipes.pty_master, LogStream::Stdout, LineSplitter()});
    } else {
        st.outputs.push_back({m.pipes.out_read, LogStream::Stdout, LineSplitter()});
        st.outputs.push_back({m.pipes.err_read, LogStream::Stderr, LineSplitter()});
    }
    while (!done(st)) poll_once(m, st);
    for (auto& o : st.outputs) {
        o.lines.finish([&](std::string_view line) { m.log->write(o.stream, line); });
        close(o.fd);
    }
    m.log->flush();
    m.attach.close_all();
    // The OOM flag is read before the cgroup goes; the record is written last, so a waiter that
    // sees it also sees the cgroup removed.
    const bool oom = read_oom(m);
    if (m.cgroup) (void)m.cgroup->destroy();
    m.cgroup.reset();
    write_exit_record(m, st, oom);
    return 0;
}

}  // namespace berth::engine::monitor
