// exec and attach: a client's own stdio given to a process in a container (docs/api.md, "Stdio
// passing").
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <thread>

#include "ctr_process.hpp"
#include "engine/ctr_store.hpp"
#include "log_follow.hpp"

namespace berth::daemon {
namespace {

namespace ctr = engine::ctr;

Result<std::array<int, 3>> three_fds(const std::vector<int>& stdio) {
    if (stdio.size() != 3) return Error("want 3 stdio fds, got " + std::to_string(stdio.size()));
    return std::array<int, 3>{stdio[0], stdio[1], stdio[2]};
}

Result<ctr::Container> running(const std::string& root, const std::string& id) {
    auto c = ctr::load(root, id);
    if (!c) return c.error();
    if (c->status == ctr::Status::Paused) return Error("container " + id + " is paused");
    if (c->status != ctr::Status::Running) return Error("container " + id + " is not running");
    return c;
}

std::vector<std::string> exec_args(const std::string& root, const std::string& id,
                                   const ExecRequest& r) {
    std::vector<std::string> args{"--root", root, "exec", id};
    for (const auto& kv : r.env) {
        args.push_back("-e");
        args.push_back(kv);
    }
    if (!r.user.empty()) {
        args.push_back("-u");
        args.push_back(r.user);
    }
    if (!r.workdir.empty()) {
        args.push_back("-w");
        args.push_back(r.workdir);
    }
    if (r.detach) args.push_back("-d");
    if (r.tty) args.push_back("-t");
    args.push_back("--");
    args.insert(args.end(), r.cmd.begin(), r.cmd.end());
    return args;
}

// The attach socket's path may be longer than sun_path holds (a deep data root); it is then
// reached through an fd of its folder, as the monitor binds it.
int connect_attach(const std::string& path) {
    int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (sock < 0) return -1;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::string target = path;
    int dir_fd = -1;
    if (path.size() >= sizeof addr.sun_path) {
        const auto slash = path.rfind('/');
        dir_fd = open(path.substr(0, slash).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
        target = "/proc/self/fd/" + std::to_string(dir_fd) + path.substr(slash);
    }
    int rc = -1;
    if (target.size() < sizeof addr.sun_path) {
        std::memcpy(addr.sun_path, target.c_str(), target.size() + 1);
        rc = connect(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    }
    if (dir_fd >= 0) close(dir_fd);
    if (rc < 0) {
        close(sock);
        return -1;
    }
    fcntl(sock, F_SETFL, O_NONBLOCK);
    return sock;
}

// Copies the client's stdin into the attach socket until end-of-file or until told to stop (a
// byte on stop_fd); never blocked by a container that does not read its stdin.
void copy_stdin(int in_fd, int sock, int stop_fd) {
    std::string buf;
    bool eof = false;
    while (!eof || !buf.empty()) {
        pollfd fds[2] = {{stop_fd, POLLIN, 0},
                         buf.empty() ? pollfd{in_fd, POLLIN, 0} : pollfd{sock, POLLOUT, 0}};
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        if (fds[0].revents) return;
        if (!fds[1].revents) continue;
        if (buf.empty()) {
            char chunk[16384];
            ssize_t n = read(in_fd, chunk, sizeof chunk);
            if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
            if (n <= 0) eof = true;
            if (n > 0) buf.assign(chunk, static_cast<std::size_t>(n));
            continue;
        }
        ssize_t n = send(sock, buf.data(), buf.size(), MSG_NOSIGNAL);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n < 0) return;  // the monitor is gone
        buf.erase(0, static_cast<std::size_t>(n));
    }
}

bool write_all(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        ssize_t n = write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) {
            pollfd p{fd, POLLOUT, 0};
            poll(&p, 1, -1);
            continue;
        }
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// A client that closes its end makes writes raise SIGPIPE, which would end berthd: it is blocked
// in this thread while attached, and one that arrived is consumed before unblocking.
class SigpipeBlock {
  public:
    SigpipeBlock() {
        sigset_t pipe_set;
        sigemptyset(&pipe_set);
        sigaddset(&pipe_set, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_set, &old_);
    }
    ~SigpipeBlock() {
        sigset_t pipe_set;
        sigemptyset(&pipe_set);
        sigaddset(&pipe_set, SIGPIPE);
        timespec zero{0, 0};
        while (sigtimedwait(&pipe_set, nullptr, &zero) == SIGPIPE) {
        }
        pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }
    SigpipeBlock(const SigpipeBlock&) = delete;
    SigpipeBlock& operator=(const SigpipeBlock&) = delete;

  private:
    sigset_t old_;
};

// Runs copy_stdin on a thread of its own for the lifetime of the object.
class StdinPump {
  public:
    StdinPump(int in_fd, const std::string& attach_path) {
        if (in_fd < 0 || pipe2(stop_, O_CLOEXEC) < 0) return;
        sock_ = connect_attach(attach_path);
        if (sock_ < 0) return;  // exited meanwhile: its output is still shown
        thread_ = std::thread(copy_stdin, in_fd, sock_, stop_[0]);
    }
    ~StdinPump() {
        if (thread_.joinable()) {
            (void)!write(stop_[1], "x", 1);
            thread_.join();
        }
        for (int fd : {stop_[0], stop_[1], sock_}) {
            if (fd >= 0) close(fd);
        }
    }
    StdinPump(const StdinPump&) = delete;
    StdinPump& operator=(const StdinPump&) = delete;

  private:
    int stop_[2] = {-1, -1};
    int sock_ = -1;
    std::thread thread_;
};

}  // namespace

Result<int> Runtime::exec(const std::string& id, const ExecRequest& request,
                          const std::vector<int>& stdio) const {
    auto fds = three_fds(stdio);
    if (!fds) return fds.error().context("exec in " + id);
    if (request.cmd.empty()) return Error("exec in " + id + ": no command given");
    // Checked here so that "not running" is an error and not a status 1 the command could give.
    if (auto c = running(config_.root, id); !c) return c.error().context("exec in " + id);
    auto status = run_with_stdio(config_.ctr_binary, exec_args(config_.root, id, request), *fds);
    if (!status) return status.error().context("exec in " + id);
    return *status;
}

Result<int> Runtime::attach(const std::string& id, const std::vector<int>& stdio) const {
    auto fds = three_fds(stdio);
    if (!fds) return fds.error().context("attach to " + id);
    auto c = ctr::load(config_.root, id);
    if (!c) return c.error().context("attach to " + id);
    if (!c->state) return Error("attach to " + id + ": it has not been started");
    // The output of this run only: the log also holds the runs before a restart.
    LogQuery query;
    query.follow = true;
    query.since_nano = parse_rfc3339_nano(c->state->started_at).value_or(0);
    SigpipeBlock no_sigpipe;
    bool client_gone = false;
    {
        StdinPump pump((*fds)[0], c->paths.attach());
        auto r = read_logs(config_.root, {id}, query, [&](const LogEntry& e) {
            const int fd = e.line.stream == "stderr" ? (*fds)[2] : (*fds)[1];
            client_gone = !write_all(fd, e.newline ? e.line.line + "\n" : e.line.line);
            return !client_gone;
        });
        if (!r) return r.error().context("attach to " + id);
    }
    if (client_gone) return Error("attach to " + id + ": the client's output is closed");
    auto done = ctr::load(config_.root, id);
    if (!done) return done.error().context("attach to " + id);
    return done->exit ? done->exit->exit_code : -1;
}

}  // namespace berth::daemon
