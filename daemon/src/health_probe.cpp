#include "health_probe.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include "event_bus.hpp"

namespace berth::daemon {

namespace {

// What is in the pipe now, up to the limit; writers that linger (a probe's background child)
// are not waited for.
std::string drain(int fd) {
    std::string out;
    char buf[4096];
    while (out.size() < scheduler::kHealthMaxOutput) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    if (out.size() > scheduler::kHealthMaxOutput) out.resize(scheduler::kHealthMaxOutput);
    return out;
}

}  // namespace

Result<ProbePipe> open_probe_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) < 0) return errno_error("healthcheck pipe", errno);
    // The probe runs to its end before the output is read: a roomy pipe keeps a chatty probe
    // from blocking on it (one that fills even this is cut off by its timeout).
    (void)::fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);
    (void)::fcntl(fds[0], F_SETFL, O_NONBLOCK);
    struct stat st {};
    ::fstat(fds[0], &st);
    return ProbePipe{fds[0], fds[1], st.st_ino};
}

Result<scheduler::ProbeResult> run_probe(const Runtime& runtime, const std::string& id,
                                         const std::vector<std::string>& argv, ProbePipe pipe) {
    scheduler::ProbeResult r;
    r.start_nano = now_nano();
    int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    ExecRequest req;
    req.cmd = argv;
    auto code = runtime.exec(id, req, {null_fd, pipe.write_fd, pipe.write_fd});
    r.end_nano = now_nano();
    if (null_fd >= 0) ::close(null_fd);
    ::close(pipe.write_fd);
    r.output = drain(pipe.read_fd);
    ::close(pipe.read_fd);
    if (!code) {
        if (code.error().message().find("is not running") != std::string::npos) {
            return code.error();
        }
        r.exit_code = -1;
        r.output = code.error().message();
        return r;
    }
    r.exit_code = *code;
    return r;
}

void kill_pipe_writers(ino_t inode) {
    const std::string target = "pipe:[" + std::to_string(inode) + "]";
    DIR* proc = ::opendir("/proc");
    if (proc == nullptr) return;
    while (dirent* e = ::readdir(proc)) {
        char* end = nullptr;
        long pid = std::strtol(e->d_name, &end, 10);
        if (pid <= 0 || *end != '\0' || pid == ::getpid()) continue;
        char link[256];
        std::string fd1 = std::string("/proc/") + e->d_name + "/fd/1";
        ssize_t n = ::readlink(fd1.c_str(), link, sizeof link - 1);
        if (n <= 0) continue;
        if (target.compare(0, std::string::npos, link, static_cast<std::size_t>(n)) == 0) {
            ::kill(static_cast<pid_t>(pid), SIGKILL);
        }
    }
    ::closedir(proc);
}

}  // namespace berth::daemon
