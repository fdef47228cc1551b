// berth-monitor: started by `berth-ctr start` (and later by berthd) as
//   berth-monitor --dir <root>/<id> --id <id> --sync-fd N
// It launches the container, reports "ok" or "error <message>" (and "warning <message>" lines)
// on fd N, closes it, and stays with the container until it exits. See docs/engine.md.
#include <getopt.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "monitor/monitor.hpp"

namespace {

using namespace berth::engine;

void report(int fd, const std::string& kind, const std::string& text) {
    // One report per line: a message with a newline in it must not end it early.
    std::string line = kind + " " + text;
    for (char& c : line) {
        if (c == '\n') c = ' ';
    }
    line += '\n';
    (void)!write(fd, line.data(), line.size());
}

}  // namespace

int main(int argc, char** argv) {
    std::string dir, id;
    int sync_fd = -1;
    const option opts[] = {{"dir", required_argument, nullptr, 'd'},
                           {"id", required_argument, nullptr, 'i'},
                           {"sync-fd", required_argument, nullptr, 's'},
                           {nullptr, 0, nullptr, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "", opts, nullptr)) != -1) {
        if (opt == 'd') dir = optarg;
        if (opt == 'i') id = optarg;
        if (opt == 's') sync_fd = std::atoi(optarg);
        if (opt == '?') return 2;
    }
    if (dir.empty() || id.empty() || sync_fd < 0) {
        std::fputs("usage: berth-monitor --dir DIR --id ID --sync-fd N\n", stderr);
        return 2;
    }
    // Orphans of the container (and PID 1 itself) are reparented to us, so we always collect the
    // exit status, whatever happens to whoever started us.
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    monitor::Monitor m;
    m.paths.dir = dir;
    m.id = id;
    std::vector<std::string> warnings;
    auto started = monitor::start_container(m, warnings);
    for (const auto& w : warnings) report(sync_fd, "warning", w);
    if (!started) {
        report(sync_fd, "error", started.error().message());
        return 1;
    }
    report(sync_fd, "ok", std::to_string(m.pid));
    close(sync_fd);
    return monitor::run_until_exit(m);
}
