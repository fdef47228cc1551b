// posix_spawn of berth-ctr with a clean fd set and a default signal state.
#include "ctr_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

extern char** environ;

namespace berth::daemon {
namespace {

class SpawnSetup {
  public:
    SpawnSetup() {
        posix_spawn_file_actions_init(&actions_);
        posix_spawnattr_init(&attr_);
        // berthd's threads block or handle signals their own way; the child starts from the
        // defaults, as a process started from a shell would.
        sigset_t none, all;
        sigemptyset(&none);
        sigfillset(&all);
        posix_spawnattr_setsigmask(&attr_, &none);
        posix_spawnattr_setsigdefault(&attr_, &all);
        posix_spawnattr_setflags(&attr_, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    }
    ~SpawnSetup() {
        posix_spawn_file_actions_destroy(&actions_);
        posix_spawnattr_destroy(&attr_);
    }
    SpawnSetup(const SpawnSetup&) = delete;
    SpawnSetup& operator=(const SpawnSetup&) = delete;

    posix_spawn_file_actions_t* actions() { return &actions_; }

    // Every fd above 2 is closed in the child, whether or not it was opened with O_CLOEXEC by
    // whichever thread made it.
    Result<pid_t> spawn(const std::string& binary, const std::vector<std::string>& args) {
        posix_spawn_file_actions_addclosefrom_np(&actions_, 3);
        std::vector<char*> argv;
        argv.push_back(const_cast<char*>(binary.c_str()));
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        pid_t pid = 0;
        int rc = posix_spawn(&pid, binary.c_str(), &actions_, &attr_, argv.data(), environ);
        if (rc != 0) return errno_error("spawn " + binary, rc);
        return pid;
    }

  private:
    posix_spawn_file_actions_t actions_;
    posix_spawnattr_t attr_;
};

Result<int> wait_status(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return errno_error("wait for " + std::to_string(pid), errno);
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 255;
}

void close_fd(int& fd) {
    if (fd >= 0) close(fd);
    fd = -1;
}

// Reads both pipes to end-of-file; berth-ctr may fill one while we wait on the other.
void read_both(int out_fd, int err_fd, std::string& out, std::string& err) {
    pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
    std::string* sinks[2] = {&out, &err};
    int open_count = 2;
    while (open_count > 0) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char buf[8192];
            ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                fds[i].fd = -1;
                --open_count;
                continue;
            }
            sinks[i]->append(buf, static_cast<std::size_t>(n));
        }
    }
}

}  // namespace

Result<CtrOutput> run_captured(const std::string& binary, const std::vector<std::string>& args) {
    int out_pipe[2], err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) < 0) return errno_error("pipe", errno);
    if (pipe2(err_pipe, O_CLOEXEC) < 0) {
        int e = errno;
        close(out_pipe[0]);
        close(out_pipe[1]);
        return errno_error("pipe", e);
    }
    SpawnSetup setup;
    posix_spawn_file_actions_addopen(setup.actions(), 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(setup.actions(), out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(setup.actions(), err_pipe[1], 2);
    auto pid = setup.spawn(binary, args);
    close(out_pipe[1]);
    close(err_pipe[1]);
    CtrOutput result;
    if (pid) read_both(out_pipe[0], err_pipe[0], result.out, result.err);
    close(out_pipe[0]);
    close(err_pipe[0]);
    if (!pid) return pid.error();
    auto status = wait_status(*pid);
    if (!status) return status.error();
    result.status = *status;
    return result;
}

Result<int> run_with_stdio(const std::string& binary, const std::vector<std::string>& args,
                           const std::array<int, 3>& stdio) {
    // Copies above 2 first, so that placing one fd at 0, 1 or 2 cannot overwrite another one
    // still to be placed (a client whose stdout is our fd 0, say).
    std::array<int, 3> copies{-1, -1, -1};
    for (std::size_t i = 0; i < 3; ++i) {
        copies[i] = fcntl(stdio[i], F_DUPFD_CLOEXEC, 3);
        if (copies[i] < 0) {
            int e = errno;
            for (auto& c : copies) close_fd(c);
            return errno_error("stdio fd " + std::to_string(stdio[i]), e);
        }
    }
    SpawnSetup setup;
    for (int i = 0; i < 3; ++i) {
        posix_spawn_file_actions_adddup2(setup.actions(), copies[static_cast<std::size_t>(i)], i);
    }
    auto pid = setup.spawn(binary, args);
    for (auto& c : copies) close_fd(c);
    if (!pid) return pid.error();
    return wait_status(*pid);
}

std::string failure_message(const CtrOutput& out) {
    std::string msg = out.err;
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    if (msg.empty()) msg = "exit status " + std::to_string(out.status);
    return msg;
}

}  // namespace berth::daemon
