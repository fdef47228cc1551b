#include "daemon_start.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>
#include <vector>

namespace berth::cli {
namespace {

using Clock = std::chrono::steady_clock;

std::string dir_of(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == 0 ? "/" : path.substr(0, slash);
}

Result<std::string> berthd_path() {
    char buf[4096];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n < 0) return errno_error("readlink /proc/self/exe", errno);
    std::string exe(buf, static_cast<std::size_t>(n));
    std::string path = dir_of(exe) + "/berthd";
    if (::access(path.c_str(), X_OK) != 0) {
        return Error("no daemon answered and berthd was not found next to berth (" + path + ")");
    }
    return path;
}

// The daemon's stdout and stderr: a log beside its socket, or /dev/null when that is not
// writable, so a failed start can be explained from the log.
int open_log(const std::string& log) {
    ::mkdir(dir_of(log).c_str(), 0711);  // the daemon fixes modes; an existing folder is fine
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    return fd >= 0 ? fd : ::open("/dev/null", O_WRONLY | O_CLOEXEC);
}

Result<pid_t> spawn_detached(const std::string& exe, const std::vector<std::string>& args,
                             const std::string& log) {
    int out = open_log(log);
    int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    pid_t pid = ::fork();
    if (pid < 0) return errno_error("fork", errno);
    if (pid == 0) {
        ::setsid();
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(out, 2);
        std::vector<char*> argv;
        argv.push_back(const_cast<char*>(exe.c_str()));
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(exe.c_str(), argv.data());
        ::_exit(127);
    }
    if (out >= 0) ::close(out);
    if (in >= 0) ::close(in);
    return pid;
}

std::string log_tail(const std::string& log) {
    std::ifstream in(log);
    if (!in) return "";
    std::stringstream ss;
    ss << in.rdbuf();
    std::string tail = tail_lines(ss.str(), 20);
    return tail.empty() ? "" : "\nlast lines of " + log + ":\n" + tail;
}

bool answers(const ApiClient& client) {
    auto r = client.call(get_request("/v1/_ping"));
    return r && r->ok();
}

Result<void> start_and_wait(const ApiClient& client) {
    const std::string& socket = client.host().path;
    auto exe = berthd_path();
    if (!exe) return exe.error();
    std::vector<std::string> args;
    if (socket != kDefaultSocket) args = {"--host", "unix://" + socket};
    std::string log = dir_of(socket) + "/berthd.log";
    std::cerr << "berth: starting berthd (no daemon answered on " << socket << ")\n";
    auto pid = spawn_detached(*exe, args, log);
    if (!pid) return pid.error();
    auto deadline = Clock::now() + std::chrono::seconds(10);
    while (Clock::now() < deadline) {
        if (answers(client)) return {};
        int status = 0;
        if (::waitpid(*pid, &status, WNOHANG) == *pid) {
            std::string how = WIFEXITED(status)
                                  ? "exited with status " + std::to_string(WEXITSTATUS(status))
                                  : "was killed by signal " + std::to_string(WTERMSIG(status));
            return Error("berthd " + how + " before answering on " + socket + log_tail(log));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return Error("berthd did not answer on " + socket + " within 10 s" + log_tail(log));
}

}  // namespace

std::string tail_lines(const std::string& text, std::size_t max_lines) {
    std::size_t end = text.size();
    while (end > 0 && text[end - 1] == '\n') --end;
    std::size_t start = end;
    std::size_t lines = 0;
    while (start > 0) {
        if (text[start - 1] == '\n' && ++lines == max_lines) break;
        --start;
    }
    return text.substr(start, end - start);
}

Result<void> ensure_daemon(const ApiClient& client) {
    auto r = client.call(get_request("/v1/_ping"));
    if (r) {
        if (r->ok()) return {};
        return Error("berthd on " + client.host().text + " answered the ping with " +
                     std::to_string(r->status()) + ": " + r->error_message());
    }
    int err = r.error().errnum();
    bool local = client.host().kind == Host::Kind::Unix;
    if (local && err == EACCES) {
        return Error("permission denied on " + client.host().path +
                     ": run as root or as a member of the berth group");
    }
    const char* no_start = std::getenv("BERTH_NO_AUTOSTART");
    bool may_start = no_start == nullptr || *no_start == '\0' || std::string(no_start) == "0";
    if (local && (err == ENOENT || err == ECONNREFUSED) && may_start) {
        return start_and_wait(client);
    }
    return Error("cannot reach berthd at " + client.host().text + " (" + r.error().message() +
                 "): is berthd running?");
}

}  // namespace berth::cli
