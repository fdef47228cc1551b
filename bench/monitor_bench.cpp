// berth-monitor footprint and stop latency (issue #4), as root:
//   build/bin/bench_monitor [ROOTFS] [--containers N]
// Starts N containers running `sleep` through berth-ctr (next to this program), reads VmRSS of
// each one's berth-monitor and prints the median and maximum; then starts a container whose shell
// traps SIGTERM and prints the time from `berth-ctr stop` to its exit. Everything is removed
// afterwards. Without ROOTFS it builds a busybox one with tests/integration/make-rootfs.sh.
#include <limits.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string g_ctr;
std::string g_root;

std::string self_dir() {
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    std::string p(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
    return p.substr(0, p.rfind('/'));
}

int ctr(const std::vector<std::string>& args) {
    pid_t pid = fork();
    if (pid == 0) {
        std::vector<char*> argv{g_ctr.data(), const_cast<char*>("--root"), g_root.data()};
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(g_ctr.c_str(), argv.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A "Key:   123 kB" line of a /proc/<pid> file.
long field_kib(int pid, const char* file, const std::string& key) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/" + file);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + key.size());
    }
    return -1;
}

void print_figure(const char* what, std::vector<long> v) {
    std::sort(v.begin(), v.end());
    std::printf("  %-8s median %5ld KiB, max %5ld KiB\n", what, v[v.size() / 2], v.back());
}

int monitor_pid(const std::string& id) {
    std::ifstream in(g_root + "/" + id + "/state.json");
    std::stringstream ss;
    ss << in.rdbuf();
    auto text = ss.str();
    auto pos = text.find("\"monitor_pid\":");
    return pos == std::string::npos ? -1 : std::atoi(text.c_str() + pos + 14);
}

void measure_rss(const std::string& rootfs, int n) {
    std::vector<long> rss, anon, pss;
    for (int i = 0; i < n; ++i) {
        const std::string id = "rss" + std::to_string(i);
        if (ctr({"run", id, "--rootfs", rootfs, "--", "sleep", "600"}) != 0) {
            std::fprintf(stderr, "run %s failed\n", id.c_str());
            continue;
        }
    }
    sleep(1);  // let every monitor settle into its loop
    for (int i = 0; i < n; ++i) {
        int pid = monitor_pid("rss" + std::to_string(i));
        long kib = field_kib(pid, "status", "VmRSS:");
        if (kib <= 0) continue;
        rss.push_back(kib);
        anon.push_back(field_kib(pid, "status", "RssAnon:"));
        pss.push_back(field_kib(pid, "smaps_rollup", "Pss:"));
    }
    for (int i = 0; i < n; ++i) ctr({"rm", "-f", "rss" + std::to_string(i)});
    if (rss.empty()) return;
    // VmRSS counts the binary's text pages, which every monitor shares through the page cache;
    // RssAnon is what each one adds on its own, and Pss splits the shared pages among them.
    std::printf("berth-monitor over %zu containers:\n", rss.size());
    print_figure("VmRSS", rss);
    print_figure("RssAnon", anon);
    print_figure("Pss", pss);
}

void measure_stop(const std::string& rootfs) {
    const char* script = "trap 'exit 0' TERM; while :; do :; done";
    std::vector<double> ms;
    for (int i = 0; i < 5; ++i) {
        if (ctr({"run", "stopper", "--rootfs", rootfs, "--", "sh", "-c", script}) != 0) return;
        usleep(200000);
        auto t0 = std::chrono::steady_clock::now();
        ctr({"stop", "stopper"});
        auto t1 = std::chrono::steady_clock::now();
        ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        ctr({"rm", "-f", "stopper"});
    }
    std::sort(ms.begin(), ms.end());
    std::printf("stop of a SIGTERM-trapping container: median %.1f ms, max %.1f ms (%zu runs)\n",
                ms[ms.size() / 2], ms.back(), ms.size());
}

}  // namespace

int main(int argc, char** argv) {
    std::string rootfs;
    int n = 10;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--containers" && i + 1 < argc)
            n = std::atoi(argv[++i]);
        else
            rootfs = a;
    }
    if (geteuid() != 0) {
        std::fprintf(stderr, "bench_monitor needs root\n");
        return 77;
    }
    g_ctr = self_dir() + "/berth-ctr";
    char tmpl[] = "/tmp/bench-monitor-XXXXXX";
    g_root = mkdtemp(tmpl);
    if (rootfs.empty()) {
        rootfs = g_root + "/rootfs";
        std::string cmd =
            "bash " BERTH_SOURCE_DIR "/tests/integration/make-rootfs.sh " + rootfs + " >/dev/null";
        if (std::system(cmd.c_str()) != 0) return 1;
    }
    measure_rss(rootfs, n);
    measure_stop(rootfs);
    std::system(("rm -rf " + g_root).c_str());
    return 0;
}
