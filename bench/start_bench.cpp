// Times container starts: engine::launch() of a /bin/true container, waited for, N times in a row
// (100 by default), first on a plain rootfs folder and then on an overlay of it with a fresh upper
// dir per container. Prints min / median / p95 / max in milliseconds, for the whole start-to-exit
// and for launch() alone (until the exec). Issue #3's target: a median of at most 15 ms.
//
//   bench_start [ROOTFS] [--iterations N]
//
// Without ROOTFS it builds a busybox rootfs with tests/integration/make-rootfs.sh into a temporary
// folder. Must run as root, single-threaded (launch() requires it).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/launch.hpp"
#include "engine/spec.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0, Clock::time_point t1) {
    return std::chrono::duration<double, std::milli>(t1 - t0).count();
}

struct Stats {
    double min = 0, median = 0, p95 = 0, max = 0;
};

Stats stats_of(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    Stats s;
    s.min = v.front();
    s.max = v.back();
    s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    // Nearest rank: the smallest value with at least 95% of the samples at or below it.
    s.p95 = v[static_cast<std::size_t>(std::ceil(0.95 * static_cast<double>(n))) - 1];
    return s;
}

// Runs make-rootfs.sh DIR; true on success.
bool make_rootfs(const std::string& dir) {
    const std::string script = std::string(BERTH_SOURCE_DIR) + "/tests/integration/make-rootfs.sh";
    std::vector<std::string> args = {"bash", script, dir};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    if (int err = posix_spawnp(&pid, "bash", nullptr, nullptr, argv.data(), environ); err != 0) {
        std::fprintf(stderr, "bench_start: run %s: %s\n", script.c_str(), std::strerror(err));
        return false;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// A mount of ours still under `dir` means a leak: never delete through it.
bool mounted_under(const std::string& dir) {
    std::ifstream in("/proc/self/mountinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.find(" " + dir) != std::string::npos) return true;
    return false;
}

int wait_exit(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

// Starts `iterations` containers from `base` one after the other. With `scratch` set, each one
// runs on an overlay (lower: the rootfs) with its own upper/work/merged folders under `scratch`,
// made and removed outside the timed part.
bool run_series(const char* label, const berth::engine::ContainerSpec& base, int iterations,
                int warmup, const std::string& scratch, int devnull) {
    std::vector<double> total, launch_only;
    bool warned = false;
    for (int i = -warmup; i < iterations; ++i) {
        berth::engine::ContainerSpec spec = base;
        std::string dir;
        if (!scratch.empty()) {
            dir = scratch + "/c" + std::to_string(i + warmup);
            for (const char* sub : {"/upper", "/work", "/merged"})
                fs::create_directories(dir + sub);
            spec.upper_dir = dir + "/upper";
            spec.work_dir = dir + "/work";
            spec.merged_dir = dir + "/merged";
        }
        const auto t0 = Clock::now();
        auto launched = berth::engine::launch(spec, {devnull, devnull, devnull});
        const auto t1 = Clock::now();
        if (!launched) {
            std::fprintf(stderr, "bench_start: %s: launch: %s\n", label,
                         launched.error().message().c_str());
            return false;
        }
        const int status = wait_exit(launched->pid);
        const auto t2 = Clock::now();
        if (status != 0) {
            std::fprintf(stderr, "bench_start: %s: /bin/true exited with status %d\n", label,
                         status);
            return false;
        }
        if (!warned) {
            for (const auto& w : launched->warnings)
                std::fprintf(stderr, "bench_start: warning: %s\n", w.c_str());
            warned = true;
        }
        if (i >= 0) {
            launch_only.push_back(ms_since(t0, t1));
            total.push_back(ms_since(t0, t2));
        }
        if (!dir.empty()) {
            if (mounted_under(dir)) {
                std::fprintf(stderr, "bench_start: %s: a mount under %s outlived the container\n",
                             label, dir.c_str());
                return false;
            }
            fs::remove_all(dir);
        }
    }
    const Stats s = stats_of(total), l = stats_of(launch_only);
    std::printf(
        "%-12s %d starts of /bin/true: median %.2f ms, p95 %.2f ms, min %.2f ms, max %.2f ms"
        " (launch() alone: median %.2f ms, p95 %.2f ms)\n",
        (std::string(label) + ":").c_str(), iterations, s.median, s.p95, s.min, s.max, l.median,
        l.p95);
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    std::string rootfs;
    int iterations = 100;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--iterations" && i + 1 < argc) {
            iterations = std::atoi(argv[++i]);
        } else if (a == "-h" || a == "--help") {
            std::printf("usage: bench_start [ROOTFS] [--iterations N]\n");
            return 0;
        } else if (rootfs.empty() && !a.empty() && a[0] != '-') {
            rootfs = a;
        } else {
            std::fprintf(stderr,
                         "bench_start: unexpected argument %s\nusage: bench_start [ROOTFS] "
                         "[--iterations N]\n",
                         a.c_str());
            return 2;
        }
    }
    if (iterations < 1) {
        std::fprintf(stderr, "bench_start: --iterations must be at least 1\n");
        return 2;
    }
    if (geteuid() != 0) {
        std::fprintf(stderr,
                     "bench_start: must run as root: each start creates namespaces and mounts "
                     "(try: sudo %s)\n",
                     argv[0]);
        return 1;
    }

    char tmpl[] = "/tmp/berth-bench-XXXXXX";
    const char* tmp = mkdtemp(tmpl);
    if (tmp == nullptr) {
        std::perror("bench_start: mkdtemp");
        return 1;
    }
    const std::string work = tmp;
    fs::permissions(work, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
    if (rootfs.empty()) {
        rootfs = work + "/rootfs";
        if (!make_rootfs(rootfs)) {
            std::fprintf(stderr, "bench_start: could not build the busybox rootfs in %s\n",
                         rootfs.c_str());
            fs::remove_all(work);
            return 1;
        }
    }
    rootfs = fs::absolute(rootfs).lexically_normal().string();

    const int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devnull < 0) {
        std::perror("bench_start: open /dev/null");
        return 1;
    }

    berth::engine::ContainerSpec plain;
    plain.rootfs_dir = rootfs;
    plain.args = {"/bin/true"};
    plain.env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"};
    plain.hostname = "bench";

    berth::engine::ContainerSpec overlay = plain;
    overlay.rootfs_dir.clear();
    overlay.lower_dirs = {rootfs};

    std::printf("rootfs %s, 3 unmeasured warm-up starts per series\n", rootfs.c_str());
    bool ok = run_series("rootfs dir", plain, iterations, 3, "", devnull);
    ok = ok && run_series("overlay", overlay, iterations, 3, work + "/containers", devnull);

    close(devnull);
    if (mounted_under(work)) {
        std::fprintf(stderr, "bench_start: mounts remain under %s; not removing it\n",
                     work.c_str());
        return 1;
    }
    fs::remove_all(work);
    return ok ? 0 : 1;
}
