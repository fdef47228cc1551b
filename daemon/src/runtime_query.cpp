// top and stats, read in-process from the container's cgroup and /proc: nothing here needs the
// container's namespaces.
#include "runtime_query.hpp"

#include <time.h>

#include <chrono>
#include <memory>
#include <thread>

#include "daemon/runtime.hpp"
#include "engine/ctr_store.hpp"

namespace berth::daemon {
namespace {

namespace ctr = engine::ctr;

// The span between the two CPU samples: long enough for a meaningful figure, short enough for a
// request (`docker stats --no-stream` waits about as long).
constexpr auto kCpuSampleSpan = std::chrono::milliseconds(200);

std::int64_t monotonic_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

Result<std::unique_ptr<engine::Cgroup>> live_cgroup(const std::string& root,
                                                    const std::string& id) {
    auto c = ctr::load(root, id);
    if (!c) return c.error();
    if (!c->monitor_alive) return Error("container " + id + " is not running");
    return ctr::open_cgroup(*c);
}

}  // namespace

Result<std::string> Runtime::top_json(const std::string& id) const {
    auto cg = live_cgroup(config_.root, id);
    if (!cg) return cg.error().context("top " + id);
    auto pids = (*cg)->pids();
    if (!pids) return pids.error().context("top " + id);
    std::vector<ProcTexts> procs;
    for (pid_t pid : *pids) {
        const std::string dir = "/proc/" + std::to_string(pid);
        auto status = engine::read_text_file(dir + "/status");
        if (!status) continue;  // exited meanwhile
        ProcTexts p;
        p.pid = pid;
        p.status = std::move(*status);
        auto cmdline = engine::read_text_file(dir + "/cmdline");
        auto comm = engine::read_text_file(dir + "/comm");
        p.cmdline = cmdline ? std::move(*cmdline) : "";
        p.comm = comm ? std::move(*comm) : "?";
        procs.push_back(std::move(p));
    }
    return top_document(procs);
}

Result<std::string> Runtime::stats_json(const std::string& id) const {
    auto c = ctr::load(config_.root, id);
    if (!c) return c.error().context("stats " + id);
    // A stopped container has no cgroup: zeros, as `docker stats` shows for one.
    if (!c->monitor_alive) return stats_document(engine::CgroupStats{}, 0.0);
    auto cg = ctr::open_cgroup(*c);
    if (!cg) return cg.error().context("stats " + id);
    auto first = (*cg)->stats();
    if (!first) return first.error().context("stats " + id);
    const auto t0 = monotonic_ns();
    std::this_thread::sleep_for(kCpuSampleSpan);
    auto second = (*cg)->stats();
    if (!second) return second.error().context("stats " + id);
    const double cpu = cpu_percent(first->cpu_usage_ns, second->cpu_usage_ns, monotonic_ns() - t0);
    return stats_document(*second, cpu);
}

}  // namespace berth::daemon
