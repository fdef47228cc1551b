// berthd: reads its configuration, opens its listeners, and serves until SIGTERM or SIGINT.
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <thread>

#include "daemon/config.hpp"
#include "daemon/http.hpp"
#include "flags.hpp"
#include "log.hpp"
#include "service.hpp"
#include "system_routes.hpp"

namespace berth::daemon {
namespace {

Result<void> make_private_dir(const std::string& path) {
    std::string partial;
    for (std::size_t i = 1; i <= path.size(); ++i) {
        if (i < path.size() && path[i] != '/') continue;
        partial = path.substr(0, i);
        if (::mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST)
            return errno_error("create " + partial, errno);
    }
    // Only the leaf is ours to restrict: it holds container state and the socket folder.
    if (::chmod(path.c_str(), 0700) != 0) return errno_error("chmod " + path, errno);
    return {};
}

// The pid file doubles as a lock: two daemons on one exec-root would both re-adopt the same
// containers. The lock lives as long as the fd, which is never closed.
Result<void> write_pid_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return errno_error("open " + path, errno);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char buf[32] = {};
        [[maybe_unused]] ssize_t n = ::read(fd, buf, sizeof buf - 1);
        ::close(fd);
        return Error("another berthd (pid " + std::string(buf, strcspn(buf, "\n")) + ") holds " +
                     path);
    }
    std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) != 0 ||
        ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size()))
        return errno_error("write " + path, errno);
    return {};
}

ListenerConfig listener_config(const DaemonConfig& cfg) {
    ListenerConfig l;
    l.unix_path = cfg.unix_socket();
    for (const std::string& h : cfg.hosts)
        if (h.rfind("tcp://", 0) == 0) l.tcp.push_back(h.substr(6));
    if (cfg.tls_verify) {
        l.tls_ca = cfg.tls_ca_cert;
        l.tls_cert = cfg.tls_cert;
        l.tls_key = cfg.tls_key;
    }
    l.allow_insecure_tcp = cfg.allow_insecure_tcp && !cfg.tls_verify;
    l.read_timeout_ms = cfg.request_timeout * 1000;
    return l;
}

// SIGTERM and SIGINT are blocked in every thread and taken here, so stop() runs on an ordinary
// thread instead of inside a signal handler.
void wait_for_signals(sigset_t set, HttpServer* server) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) return;
    log_info(std::string("received ") + strsignal(sig) + ", stopping");
    server->stop();
}

int serve(const DaemonConfig& cfg) {
    for (const std::string& dir : {cfg.data_root, cfg.exec_root})
        if (auto ok = make_private_dir(dir); !ok) return log_error(ok.error().message()), 1;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    ::signal(SIGPIPE, SIG_IGN);

    Router router;
    auto server = HttpServer::create(listener_config(cfg), router);
    if (!server) return log_error(server.error().message()), 1;
    if (auto ok = write_pid_file(cfg.exec_root + "/berthd.pid"); !ok)
        return log_error(ok.error().message()), 1;
    add_system_routes(router);
    if (auto ok = register_routes(router, cfg); !ok) return log_error(ok.error().message()), 1;

    std::thread(wait_for_signals, set, server->get()).detach();
    log_info(std::string("berthd ") + kDaemonVersion + " ready (pid " + std::to_string(::getpid()) +
             ")");
    (*server)->run();
    shutdown_service();
    ::unlink((cfg.exec_root + "/berthd.pid").c_str());
    log_info("stopped");
    return 0;
}

}  // namespace
}  // namespace berth::daemon

int main(int argc, char** argv) {
    using namespace berth::daemon;
    // Each request thread would otherwise get its own malloc arena. One arena (the brk heap,
    // which malloc_trim gives back best) keeps idle RSS small; berthd's threads seldom contend.
    mallopt(M_ARENA_MAX, 1);
    auto parsed = parse_daemon_flags(argc, argv);
    if (!parsed) {
        std::fprintf(stderr, "berthd: %s\nSee 'berthd --help'.\n",
                     parsed.error().message().c_str());
        return 1;
    }
    if (parsed->help) return std::fputs(daemon_usage().c_str(), stdout), 0;
    if (parsed->version) return std::printf("berthd version %s\n", kDaemonVersion), 0;
    auto cfg = load_daemon_config(parsed->flags);
    if (!cfg) {
        std::fprintf(stderr, "berthd: %s\n", cfg.error().message().c_str());
        return 1;
    }
    set_log_level(cfg->log_level);
    return serve(*cfg);
}
