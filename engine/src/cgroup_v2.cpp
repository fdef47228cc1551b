// The v2 backend: creating berth/<name> with its controllers enabled, membership, the freezer,
// statistics and teardown. apply() is in cgroup_v2_apply.cpp.
#include "cgroup_v2.hpp"

#include <errno.h>

#include <set>

#include "cgroup_backends.hpp"
#include "cgroup_fs.hpp"
#include "common/fs.hpp"
#include "common/strings.hpp"

namespace berth::engine::cgroup {
namespace {

using namespace std::chrono_literals;

const char* const kWanted[] = {"cpu", "memory", "pids", "io", "cpuset"};

std::uint64_t stat_or_zero(const std::string& path) {
    auto v = read_u64(path);
    return v ? *v : 0;
}

std::uint64_t key_or_zero(const std::string& path, const char* key) {
    auto v = read_key(path, key);
    return v && *v ? **v : 0;
}

// io.stat: "8:0 rbytes=4096 wbytes=0 rios=1 wios=0 dbytes=0 dios=0" per device.
void add_io_bytes(const std::string& file, CgroupStats& s) {
    auto text = read_file(file);
    if (!text) return;
    for (const auto& word : split_words(*text)) {
        const auto eq = word.find('=');
        if (eq == std::string::npos) continue;
        const std::uint64_t n = std::strtoull(word.c_str() + eq + 1, nullptr, 10);
        if (word.compare(0, eq, "rbytes") == 0) s.io_read_bytes += n;
        if (word.compare(0, eq, "wbytes") == 0) s.io_write_bytes += n;
    }
}

class ManagerV2 : public ManagerBase {
  public:
    explicit ManagerV2(std::string root) : root_(std::move(root)) {}

    int version() const override { return 2; }

    Result<std::unique_ptr<Cgroup>> open(const std::string& name) override {
        if (auto ok = check_name(name); !ok) return ok.error();
        if (!exists(root_ + "/" + kParent + "/" + name)) {
            return Error("open cgroup " + std::string(kParent) + "/" + name + ": no such cgroup",
                         ENOENT);
        }
        return std::unique_ptr<Cgroup>(make(name));
    }

  private:
    std::unique_ptr<Cgroup> make(const std::string& name) const override {
        const std::string path = std::string(kParent) + "/" + name;
        return std::make_unique<CgroupV2>(path, root_ + "/" + path, host_limits());
    }

    // A controller reaches a cgroup only when every ancestor lists it in cgroup.subtree_control
    // (runc fs2/create.go CreateCgroupPath). The root and berth/ hold no processes, so the
    // no-internal-process rule is kept.
    Result<void> make_dirs(const std::string& name) const override {
        auto available = read_file(root_ + "/cgroup.controllers");
        if (!available) return available.error();
        auto words = split_words(*available);
        std::set<std::string> offered(words.begin(), words.end());
        std::string enable;
        for (const char* c : kWanted) {
            if (offered.count(c)) enable += std::string(enable.empty() ? "" : " ") + "+" + c;
        }
        const std::string parent = root_ + "/" + kParent;
        for (const auto& [dir, control] : {std::pair{root_, true}, std::pair{parent, true},
                                           std::pair{parent + "/" + name, false}}) {
            if (dir != root_) {
                if (auto ok = make_dir(dir); !ok) return ok;
            }
            if (control && !enable.empty()) {
                auto ok = write_file(dir + "/cgroup.subtree_control", enable);
                if (!ok) return ok;
            }
        }
        return {};
    }

    HostLimits host_limits() const {
        HostLimits host;
        if (auto cpus = read_trimmed(root_ + "/cpuset.cpus.effective")) host.cpus = *cpus;
        if (auto mems = read_trimmed(root_ + "/cpuset.mems.effective")) host.mems = *mems;
        return host;
    }

    std::string root_;
};

}  // namespace

CgroupV2::CgroupV2(std::string path, std::string dir, HostLimits host)
    : path_(std::move(path)), dir_(std::move(dir)), host_(std::move(host)) {}

Result<void> CgroupV2::add(pid_t pid) {
    return write_file(file("cgroup.procs"), std::to_string(pid));
}

// cgroup.freeze asks; cgroup.events says when every task has stopped (runc fs2/freezer.go).
Result<void> CgroupV2::freeze() {
    if (auto ok = write_file(file("cgroup.freeze"), "1"); !ok) return ok;
    const bool done = poll_until(
        [&] {
            auto f = read_key(file("cgroup.events"), "frozen");
            return f && *f && **f == 1;
        },
        2000ms);
    if (done) return {};
    (void)write_file(file("cgroup.freeze"), "0");
    return Error("freeze " + path_ + ": cgroup.events did not report frozen within 2 s");
}

Result<void> CgroupV2::thaw() {
    return write_file(file("cgroup.freeze"), "0");
}

Result<bool> CgroupV2::frozen() const {
    auto v = read_trimmed(file("cgroup.freeze"));
    if (!v) return v.error();
    return *v == "1";
}

Result<std::vector<pid_t>> CgroupV2::pids() const {
    return read_procs(dir_);
}

Result<CgroupStats> CgroupV2::stats() const {
    CgroupStats s;
    s.cpu_usage_ns = key_or_zero(file("cpu.stat"), "usage_usec") * 1000;
    s.memory_usage = stat_or_zero(file("memory.current"));
    s.memory_limit = stat_or_zero(file("memory.max"));  // "max" is not a number: 0, unlimited
    s.pids = stat_or_zero(file("pids.current"));
    add_io_bytes(file("io.stat"), s);
    return s;
}

Result<bool> CgroupV2::oom_killed() const {
    auto kills = read_key(file("memory.events"), "oom_kill");
    if (!kills) return kills.error();
    return *kills && **kills > 0;
}

// cgroup.kill (Linux 5.14) kills every task, frozen ones included, in one write; without it the
// tasks are thawed and killed one by one. Then wait until empty and remove depth-first.
Result<void> CgroupV2::destroy() {
    if (!exists(dir_)) return {};
    Errors errors;
    if (exists(file("cgroup.kill"))) {
        errors.add(write_file(file("cgroup.kill"), "1"));
    } else if (exists(file("cgroup.freeze"))) {
        errors.add(thaw());
    }
    errors.add(kill_all(dir_, 5000ms));
    errors.add(remove_tree(dir_));
    return errors.result("remove cgroup " + path_);
}

std::unique_ptr<CgroupManager> make_v2_manager(std::string root) {
    return std::make_unique<ManagerV2>(std::move(root));
}

}  // namespace berth::engine::cgroup
