// berth-run: runs one container by hand from a rootfs folder (or overlay layers) and waits for it.
// Exit status: the container's (128 + signal when killed), 125 when the launch failed, 127/126
// when the command could not be found/executed. See docs/engine.md.
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "engine/launch.hpp"
#include "engine/run_options.hpp"
#include "engine/terminal_relay.hpp"
#include "run_cgroup.hpp"

namespace {

using berth::Error;
using berth::Result;
using namespace berth::engine;

void print_usage(FILE* to) {
    std::fprintf(to, "usage: berth-run [options] -- CMD [ARGS...]\n%s%s", run_options_usage(),
                 berth::run::kCgroupUsage);
}

constexpr int kHelp = berth::run::kCgroupOption + 1;

struct Parsed {
    ContainerSpec spec;
    berth::run::CgroupRequest cgroup;
};

Result<Parsed> parse_args(int argc, char** argv) {
    auto table = run_option_table();
    for (const option& o : berth::run::cgroup_option_table()) table.push_back(o);
    table.push_back({"help", no_argument, nullptr, kHelp});
    table.push_back({nullptr, 0, nullptr, 0});
    RunOptions p;
    Parsed out;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "+h", table.data(), nullptr)) != -1) {
        if (opt == 'h' || opt == kHelp) {
            print_usage(stdout);
            std::exit(0);
        }
        if (opt == '?') return Error(std::string("unknown option ") + argv[optind - 1]);
        const std::string arg = optarg ? optarg : "";
        auto r = berth::run::is_cgroup_option(opt)
                     ? berth::run::apply_cgroup_option(opt, arg, out.cgroup)
                     : apply_run_option(opt, arg, p);
        if (!r) return r.error();
    }
    std::vector<std::string> args(argv + optind, argv + argc);
    if (args.empty()) return Error("no command given (berth-run [options] -- CMD ...)");
    auto spec = finish_run_options(std::move(p), std::move(args));
    if (!spec) return spec.error();
    out.spec = std::move(*spec);
    return out;
}

volatile sig_atomic_t g_child = 0;

// Signals to berth-run go to the container, like `docker run`'s signal proxy.
void forward(int sig) {
    if (g_child > 0) kill(g_child, sig);
}

volatile sig_atomic_t g_winch = 0;
int g_pty_master = -1;

void forward_or_resize(int sig) {
    if (sig == SIGWINCH && g_pty_master >= 0) {
        g_winch = 1;
        return;
    }
    forward(sig);
}

int wait_container(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return 125;
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 125;
}

}  // namespace

int main(int argc, char** argv) {
    auto parsed = parse_args(argc, argv);
    if (!parsed) {
        std::fprintf(stderr, "berth-run: %s\n", parsed.error().message().c_str());
        print_usage(stderr);
        return 125;
    }
    auto group = berth::run::make_cgroup(parsed->cgroup);
    if (!group) {
        std::fprintf(stderr, "berth-run: %s\n", group.error().message().c_str());
        return 125;
    }
    berth::run::CgroupGuard guard(std::move(*group));
    auto launched = launch(parsed->spec, {}, guard.procs_files());
    if (!launched) {
        std::fprintf(stderr, "berth-run: %s\n", launched.error().message().c_str());
        return launch_failure_status(launched.error());
    }
    for (const auto& w : launched->warnings)
        std::fprintf(stderr, "berth-run: warning: %s\n", w.c_str());
    g_child = launched->pid;
    g_pty_master = launched->pty_master;
    struct sigaction sa {};
    sa.sa_handler = forward_or_resize;
    sa.sa_flags = SA_RESTART;
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH}) {
        sigaction(sig, &sa, nullptr);
    }
    if (launched->pty_master >= 0) {
        relay_terminal(launched->pty_master, &g_winch);
        close(launched->pty_master);
    }
    return guard.finish(wait_container(launched->pid));
}
