// create, start, stop, kill, pause/unpause, wait.
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "ctr.hpp"
#include "engine/signals.hpp"

namespace berth::engine::ctr {
namespace {

Result<void> mkdir_p(const std::string& path, mode_t mode) {
    std::string partial;
    for (std::size_t pos = 1; pos != std::string::npos;) {
        pos = path.find('/', pos + 1);
        partial = path.substr(0, pos);
        if (mkdir(partial.c_str(), mode) < 0 && errno != EEXIST) {
            return errno_error("create " + partial, errno);
        }
    }
    return {};
}

// "0-1" from /sys: the CPUs that exist, for the cpuset error message.
Result<void> check_cpuset(const std::string& list) {
    if (list.empty()) return {};
    auto online = read_text_file("/sys/devices/system/cpu/online");
    if (!online) return {};
    std::string text = *online;
    while (!text.empty() && text.back() == '\n') text.pop_back();
    auto highest = highest_cpu(text);
    auto wanted = highest_cpu(list);
    if (highest && wanted && *wanted > *highest) {
        return Error("--cpuset-cpus " + list + ": CPU " + std::to_string(*wanted) +
                     " does not exist; this machine has CPUs " + text);
    }
    return {};
}

std::string monitor_binary() {
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    std::string self = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
    auto slash = self.rfind('/');
    return slash == std::string::npos ? "berth-monitor" : self.substr(0, slash) + "/berth-monitor";
}

// The grandchild: a new session, stdio on /dev/null, the report pipe as fd 3, then the monitor.
[[noreturn]] void exec_monitor(const Container& c, const std::string& binary, int report_fd) {
    int null_fd = open("/dev/null", O_RDWR);
    for (int fd = 0; fd < 3; ++fd) dup2(null_fd, fd);
    dup2(report_fd, 3);
    close_range(4, ~0U, 0);
    // The monitor may live for months: it must not pin the caller's cwd (and its mount).
    if (chdir("/") < 0) _exit(127);
    const std::string dir = c.paths.dir;
    execl(binary.c_str(), "berth-monitor", "--dir", dir.c_str(), "--id", c.id.c_str(), "--sync-fd",
          "3", static_cast<char*>(nullptr));
    const char msg[] = "error cannot run berth-monitor next to berth-ctr\n";
    (void)!write(3, msg, sizeof msg - 1);
    _exit(127);
}

// Double fork: the monitor's parent exits at once, so it is adopted by init (or the nearest
// subreaper) and a kill -9 of this berth-ctr, or of a daemon later, never reaches it.
Result<void> spawn_monitor(const Container& c, int report_write) {
    const std::string binary = monitor_binary();
    pid_t mid = fork();
    if (mid < 0) return errno_error("fork", errno);
    if (mid == 0) {
        setsid();
        pid_t grand = fork();
        if (grand == 0) exec_monitor(c, binary, report_write);
        _exit(grand < 0 ? 1 : 0);
    }
    int status = 0;
    while (waitpid(mid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return Error("fork of berth-monitor failed");
    return {};
}

// Reads the monitor's report until it closes the pipe: warning lines, then "ok PID" or
// "error MESSAGE".
Result<void> read_report(int fd) {
    std::string text;
    char buf[4096];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        text.append(buf, static_cast<std::size_t>(n));
    }
    bool ok = false;
    std::string error = "berth-monitor exited without starting the container";
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto nl = text.find('\n', pos);
        std::string line = text.substr(pos, nl == std::string::npos ? nl : nl - pos);
        pos = nl == std::string::npos ? text.size() : nl + 1;
        if (line.rfind("warning ", 0) == 0) {
            std::fprintf(stderr, "berth-ctr: warning: %s\n", line.c_str() + 8);
        } else if (line.rfind("ok", 0) == 0) {
            ok = true;
        } else if (line.rfind("error ", 0) == 0) {
            error = line.substr(6);
        }
    }
    if (!ok) return Error(error);
    return {};
}

// 10 -> "10s", 0.5 -> "0.5s": the grace period as a user wrote it.
std::string seconds_text(double seconds) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%gs", seconds);
    return buf;
}

Result<void> thaw_if_paused(const Container& c) {
    if (c.status != Status::Paused) return {};
    auto cg = open_cgroup(c);
    if (!cg) return cg.error();
    return (*cg)->thaw();
}

}  // namespace

Result<void> create(const std::string& root, const std::string& id,
                    const std::vector<std::string>& args) {
    if (auto r = validate_id(id); !r) return r;
    auto opts = parse_create_options(args);
    if (!opts) return opts.error();
    if (auto r = check_cpuset(opts->resources.cpuset_cpus); !r) return r;
    if (auto r = mkdir_p(root, 0711); !r) return r;
    const std::string dir = root + "/" + id;
    if (mkdir(dir.c_str(), 0700) < 0) {
        if (errno == EEXIST) return Error("container " + id + " already exists");
        return errno_error("create " + dir, errno);
    }
    ContainerPaths paths{dir};
    return write_file_atomic(paths.config(), encode_config(args));
}

Result<void> start(const std::string& root, const std::string& id) {
    if (auto r = validate_id(id); !r) return r;
    FolderLock lock(root + "/" + id);
    auto c = load(root, id);
    if (!c) return c.error();
    if (c->status == Status::Running || c->status == Status::Paused) {
        return Error("container " + id + " is already running");
    }
    // A fresh run: the previous exit no longer describes the container.
    unlink(c->paths.exit_record().c_str());
    unlink(c->paths.killed_marker().c_str());
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) return errno_error("pipe", errno);
    auto spawned = spawn_monitor(*c, fds[1]);
    close(fds[1]);
    auto reported = spawned ? read_report(fds[0]) : spawned;
    close(fds[0]);
    if (!reported) return reported.error().context("start " + id);
    return {};
}

Result<void> stop(const std::string& root, const std::string& id, std::optional<double> timeout,
                  std::string& out) {
    if (auto r = validate_id(id); !r) return r;
    FolderLock lock(root + "/" + id);
    auto c = load(root, id);
    if (!c) return c.error();
    if (c->status != Status::Running && c->status != Status::Paused) return {};
    int pidfd = open_monitor_pidfd(*c);
    const double grace = timeout.value_or(c->options.stop_timeout);
    auto sent = signal_pid1(*c, c->options.stop_signal);
    (void)thaw_if_paused(*c);  // a frozen process receives its signal once thawed
    if (sent && wait_monitor(pidfd, grace)) {
        close(pidfd);
        return {};
    }
    // The marker is in place before SIGKILL, so the monitor sees it when it writes the record.
    (void)write_file_atomic(c->paths.killed_marker(), "1\n");
    (void)signal_pid1(*c, SIGKILL);
    (void)thaw_if_paused(*c);
    wait_monitor(pidfd, -1);
    if (pidfd >= 0) close(pidfd);
    out += id + ": killed after timeout: did not stop within " + seconds_text(grace) + " after " +
           signal_name(c->options.stop_signal) + "\n";
    return {};
}

Result<void> kill(const std::string& root, const std::string& id, const std::string& signal) {
    auto sig = parse_signal(signal);
    if (!sig) return sig.error();
    auto c = load(root, id);
    if (!c) return c.error();
    if (auto r = signal_pid1(*c, *sig); !r) return r;
    // SIGKILL must not wait for an unpause that may never come.
    if (*sig == SIGKILL) return thaw_if_paused(*c);
    return {};
}

Result<void> pause(const std::string& root, const std::string& id, bool freeze) {
    auto c = load(root, id);
    if (!c) return c.error();
    if (c->status != Status::Running && c->status != Status::Paused) {
        return Error("container " + id + " is not running");
    }
    auto cg = open_cgroup(*c);
    if (!cg) return cg.error().context(freeze ? "pause " + id : "unpause " + id);
    auto r = freeze ? (*cg)->freeze() : (*cg)->thaw();
    if (!r) return r.error().context(freeze ? "pause " + id : "unpause " + id);
    return {};
}

Result<void> wait(const std::string& root, const std::string& id, std::string& out) {
    auto c = load(root, id);
    if (!c) return c.error();
    if (c->status == Status::Created) return Error("container " + id + " has not been started");
    int pidfd = open_monitor_pidfd(*c);
    wait_monitor(pidfd, -1);
    if (pidfd >= 0) close(pidfd);
    auto done = load(root, id);
    if (!done) return done.error();
    out += std::to_string(done->exit ? done->exit->exit_code : -1) + "\n";
    return {};
}

}  // namespace berth::engine::ctr
