// The v1 backend: the container's directory in every controller hierarchy, membership, the
// freezer, statistics and teardown. apply() is in cgroup_v1_apply.cpp.
#include "cgroup_v1.hpp"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include <algorithm>
#include <set>

#include "cgroup_backends.hpp"
#include "cgroup_fs.hpp"
#include "common/fs.hpp"
#include "common/strings.hpp"

namespace berth::engine::cgroup {
namespace {

using namespace std::chrono_literals;

// Reading an unlimited v1 limit gives PAGE_COUNTER_MAX in bytes (0x7ffffffffffff000 on 64-bit).
constexpr std::uint64_t kUnlimitedAbove = 1ULL << 62;

// A stat whose controller is not mounted (or whose file this kernel lacks) reads as 0.
std::uint64_t stat_or_zero(const Result<std::string>& dir, const char* file) {
    if (!dir) return 0;
    auto v = read_u64(*dir + "/" + file);
    return v ? *v : 0;
}

// blkio.throttle.io_service_bytes: "8:0 Read 4096" lines, then a "Total" line.
void add_io_bytes(const std::string& file, CgroupStats& s) {
    auto text = read_file(file);
    if (!text) return;
    for (const auto& line : split(*text, "\n")) {
        auto fields = split_words(line);
        if (fields.size() != 3) continue;
        const std::uint64_t n = std::strtoull(fields[2].c_str(), nullptr, 10);
        if (fields[1] == "Read") s.io_read_bytes += n;
        if (fields[1] == "Write") s.io_write_bytes += n;
    }
}

// cpuset.cpus and cpuset.mems start empty in a new v1 cpuset cgroup, and a task cannot join
// until both are set: copy the parent's down (runc fs/cpuset.go ensureParent).
Result<void> copy_cpuset_from_parent(const std::string& dir, const std::string& parent) {
    for (const char* file : {"cpuset.cpus", "cpuset.mems"}) {
        auto own = read_trimmed(dir + "/" + file);
        if (!own) return own.error();
        if (!own->empty()) continue;
        auto inherited = read_trimmed(parent + "/" + file);
        if (!inherited) return inherited.error();
        if (auto ok = write_file(dir + "/" + file, *inherited); !ok) return ok;
    }
    return {};
}

class ManagerV1 : public ManagerBase {
  public:
    explicit ManagerV1(std::map<std::string, std::string> hierarchies)
        : hierarchies_(std::move(hierarchies)) {}

    int version() const override { return 1; }

    Result<std::unique_ptr<Cgroup>> open(const std::string& name) override {
        if (auto ok = check_name(name); !ok) return ok.error();
        for (const auto& [controller, mount] : hierarchies_) {
            if (exists(mount + "/" + kParent + "/" + name))
                return std::unique_ptr<Cgroup>(make(name));
        }
        return Error("open cgroup " + std::string(kParent) + "/" + name + ": no such cgroup",
                     ENOENT);
    }

  private:
    std::unique_ptr<Cgroup> make(const std::string& name) const override {
        std::map<std::string, std::string> dirs;
        for (const auto& [controller, mount] : hierarchies_) {
            dirs[controller] = mount + "/" + kParent + "/" + name;
        }
        return std::make_unique<CgroupV1>(std::string(kParent) + "/" + name, std::move(dirs),
                                          host_limits());
    }

    Result<void> make_dirs(const std::string& name) const override {
        for (const auto& [controller, mount] : hierarchies_) {
            const std::string parent = mount + "/" + kParent, own = parent + "/" + name;
            if (auto ok = make_dir(parent); !ok) return ok;
            if (auto ok = make_dir(own); !ok) return ok;
            if (controller != "cpuset") continue;
            if (auto ok = copy_cpuset_from_parent(parent, mount); !ok) return ok;
            if (auto ok = copy_cpuset_from_parent(own, parent); !ok) return ok;
        }
        return {};
    }

    HostLimits host_limits() const {
        HostLimits host;
        auto it = hierarchies_.find("cpuset");
        if (it == hierarchies_.end()) return host;
        auto cpus = read_trimmed(it->second + "/cpuset.effective_cpus");
        if (!cpus) cpus = read_trimmed(it->second + "/cpuset.cpus");
        auto mems = read_trimmed(it->second + "/cpuset.effective_mems");
        if (!mems) mems = read_trimmed(it->second + "/cpuset.mems");
        if (cpus) host.cpus = *cpus;
        if (mems) host.mems = *mems;
        return host;
    }

    std::map<std::string, std::string> hierarchies_;
};

std::string canonical(const std::string& path) {
    char buf[PATH_MAX];
    return realpath(path.c_str(), buf) ? std::string(buf) : path;
}

}  // namespace

CgroupV1::CgroupV1(std::string path, std::map<std::string, std::string> dirs, HostLimits host)
    : path_(std::move(path)), dirs_(std::move(dirs)), host_(std::move(host)) {
    // "cpu" and "cpuacct" may be one mount reached through two symlinks: list each
    // hierarchy once. The parent is resolved, since the container's directory may not exist yet.
    std::set<std::string> seen;
    for (const auto& [controller, dir] : dirs_) {
        const auto slash = dir.rfind('/', dir.rfind('/') - 1);
        if (seen.insert(canonical(dir.substr(0, slash))).second) unique_dirs_.push_back(dir);
    }
}

Result<std::string> CgroupV1::dir(const char* controller) const {
    auto it = dirs_.find(controller);
    if (it == dirs_.end()) {
        return Error(std::string("the ") + controller +
                     " cgroup controller is not mounted on this machine");
    }
    return it->second;
}

std::vector<std::string> CgroupV1::procs_files() const {
    std::vector<std::string> files;
    for (const auto& d : unique_dirs_) files.push_back(d + "/cgroup.procs");
    return files;
}

Result<void> CgroupV1::add(pid_t pid) {
    for (const auto& file : procs_files()) {
        if (auto ok = write_file(file, std::to_string(pid)); !ok) return ok;
    }
    return {};
}

// FREEZING lasts while a task cannot be stopped yet (say, in an uninterruptible sleep); writing
// FROZEN again retries those tasks, as runc does (fs/freezer.go). Giving up thaws again, so a
// failed pause never leaves the container half-frozen.
Result<void> CgroupV1::freeze() {
    auto d = dir("freezer");
    if (!d) return d.error();
    const std::string state = *d + "/freezer.state";
    Result<void> written;
    const bool done = poll_until(
        [&] {
            written = write_file(state, "FROZEN");
            auto now = read_trimmed(state);
            return written && now && *now == "FROZEN";
        },
        2000ms);
    if (done) return {};
    (void)write_file(state, "THAWED");
    if (!written) return written;
    return Error("freeze " + path_ +
                 ": still FREEZING after 2 s (a task in uninterruptible sleep?)");
}

Result<void> CgroupV1::thaw() {
    auto d = dir("freezer");
    if (!d) return d.error();
    const std::string state = *d + "/freezer.state";
    if (auto ok = write_file(state, "THAWED"); !ok) return ok;
    const bool done = poll_until(
        [&] {
            auto now = read_trimmed(state);
            return now && *now == "THAWED";
        },
        2000ms);
    if (done) return {};
    return Error("thaw " + path_ + ": freezer.state did not become THAWED");
}

Result<bool> CgroupV1::frozen() const {
    auto d = dir("freezer");
    if (!d) return d.error();
    auto state = read_trimmed(*d + "/freezer.state");
    if (!state) return state.error();
    return *state != "THAWED";
}

Result<std::vector<pid_t>> CgroupV1::pids() const {
    for (const char* c : {"pids", "freezer", "memory", "cpu"}) {
        if (auto d = dir(c)) return read_procs(*d);
    }
    if (unique_dirs_.empty()) return std::vector<pid_t>();
    return read_procs(unique_dirs_.front());
}

Result<CgroupStats> CgroupV1::stats() const {
    CgroupStats s;
    s.cpu_usage_ns = stat_or_zero(dir("cpuacct"), "cpuacct.usage");
    s.memory_usage = stat_or_zero(dir("memory"), "memory.usage_in_bytes");
    s.memory_limit = stat_or_zero(dir("memory"), "memory.limit_in_bytes");
    if (s.memory_limit >= kUnlimitedAbove) s.memory_limit = 0;
    s.pids = stat_or_zero(dir("pids"), "pids.current");
    if (auto d = dir("blkio")) {
        const std::string recursive = *d + "/blkio.throttle.io_service_bytes_recursive";
        add_io_bytes(exists(recursive) ? recursive : *d + "/blkio.throttle.io_service_bytes", s);
    }
    return s;
}

// memory.oom_control has counted kills in an `oom_kill` line since Linux 4.13; older kernels only
// say the limit was hit (memory.failcnt), which is what Docker reported there too.
Result<bool> CgroupV1::oom_killed() const {
    auto d = dir("memory");
    if (!d) return d.error();
    auto kills = read_key(*d + "/memory.oom_control", "oom_kill");
    if (!kills) return kills.error();
    if (*kills) return **kills > 0;
    auto failcnt = read_u64(*d + "/memory.failcnt");
    if (!failcnt) return failcnt.error();
    return *failcnt > 0;
}

// Frozen tasks do not act on SIGKILL, so thaw first; then kill, wait for every hierarchy to be
// empty (rmdir says EBUSY until then), and remove the directories.
Result<void> CgroupV1::destroy() {
    Errors errors;
    if (auto d = dir("freezer"); d && exists(*d)) errors.add(thaw());
    for (const auto& d : unique_dirs_) errors.add(kill_all(d, 5000ms));
    for (const auto& d : unique_dirs_) errors.add(remove_tree(d));
    return errors.result("remove cgroup " + path_);
}

std::unique_ptr<CgroupManager> make_v1_manager(std::map<std::string, std::string> hierarchies) {
    return std::make_unique<ManagerV1>(std::move(hierarchies));
}

}  // namespace berth::engine::cgroup
