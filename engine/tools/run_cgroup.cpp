#include "run_cgroup.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace berth::run {
namespace {

using engine::DeviceRate;

enum CgroupOpt {
    kCgroup = kFirstCgroupOption,
    kMemory,
    kMemorySwap,
    kMemoryReservation,
    kCpus,
    kCpuShares,
    kCpuPeriod,
    kCpuQuota,
    kCpusetCpus,
    kCpusetMems,
    kPidsLimit,
    kBlkioWeight,
    kReadBps,
    kWriteBps,
    kReadIops,
    kWriteIops,
    kEnd,
};

Result<std::int64_t> number(const std::string& s) {
    errno = 0;
    char* end = nullptr;
    long long v = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || errno || *end != '\0') return Error("invalid number \"" + s + "\"");
    return static_cast<std::int64_t>(v);
}

// DEVICE:RATE, the device being a path (/dev/vda) or MAJ:MIN.
Result<DeviceRate> device_rate(const std::string& arg) {
    const auto colon = arg.rfind(':');
    if (colon == std::string::npos) return Error("invalid \"" + arg + "\" (want DEVICE:RATE)");
    auto rate = number(arg.substr(colon + 1));
    if (!rate || *rate < 0) return Error("invalid rate in \"" + arg + "\"");
    return DeviceRate{arg.substr(0, colon), static_cast<std::uint64_t>(*rate)};
}

Result<void> apply_rate(int opt, const std::string& arg, engine::Resources& r) {
    auto rate = device_rate(arg);
    if (!rate) return rate.error();
    auto* list = opt == kReadBps    ? &r.read_bps
                 : opt == kWriteBps ? &r.write_bps
                 : opt == kReadIops ? &r.read_iops
                                    : &r.write_iops;
    list->push_back(*rate);
    return {};
}

}  // namespace

const option kCgroupOptions[] = {
    {"cgroup", required_argument, nullptr, kCgroup},
    {"memory", required_argument, nullptr, kMemory},
    {"memory-swap", required_argument, nullptr, kMemorySwap},
    {"memory-reservation", required_argument, nullptr, kMemoryReservation},
    {"cpus", required_argument, nullptr, kCpus},
    {"cpu-shares", required_argument, nullptr, kCpuShares},
    {"cpu-period", required_argument, nullptr, kCpuPeriod},
    {"cpu-quota", required_argument, nullptr, kCpuQuota},
    {"cpuset-cpus", required_argument, nullptr, kCpusetCpus},
    {"cpuset-mems", required_argument, nullptr, kCpusetMems},
    {"pids-limit", required_argument, nullptr, kPidsLimit},
    {"blkio-weight", required_argument, nullptr, kBlkioWeight},
    {"device-read-bps", required_argument, nullptr, kReadBps},
    {"device-write-bps", required_argument, nullptr, kWriteBps},
    {"device-read-iops", required_argument, nullptr, kReadIops},
    {"device-write-iops", required_argument, nullptr, kWriteIops},
    {nullptr, 0, nullptr, 0},
};

const char* const kCgroupUsage =
    "  --cgroup NAME --memory BYTES --memory-swap BYTES --memory-reservation BYTES\n"
    "  --cpus N --cpu-shares N --cpu-period US --cpu-quota US --cpuset-cpus L --cpuset-mems L\n"
    "  --pids-limit N --blkio-weight N --device-{read,write}-{bps,iops} DEVICE:RATE\n";

bool is_cgroup_option(int opt) {
    return opt >= kFirstCgroupOption && opt < kEnd;
}

Result<void> apply_cgroup_option(int opt, const std::string& arg, CgroupRequest& request) {
    request.wanted = true;
    auto& r = request.resources;
    if (opt == kCgroup) request.name = arg;
    if (opt == kCpusetCpus) r.cpuset_cpus = arg;
    if (opt == kCpusetMems) r.cpuset_mems = arg;
    if (opt == kCgroup || opt == kCpusetCpus || opt == kCpusetMems) return {};
    if (opt >= kReadBps) return apply_rate(opt, arg, r);
    if (opt == kCpus) {
        char* end = nullptr;
        double cpus = std::strtod(arg.c_str(), &end);
        if (arg.empty() || *end != '\0' || cpus <= 0)
            return Error("invalid --cpus \"" + arg + "\"");
        r.cpu_period = 100000;
        r.cpu_quota = static_cast<std::int64_t>(cpus * 100000 + 0.5);
        return {};
    }
    auto v = number(arg);
    if (!v) return v.error();
    switch (opt) {
        case kMemory:
            r.memory = *v;
            break;
        case kMemorySwap:
            r.memory_swap = *v;
            break;
        case kMemoryReservation:
            r.memory_reservation = *v;
            break;
        case kCpuShares:
            r.cpu_shares = static_cast<std::uint64_t>(*v);
            break;
        case kCpuPeriod:
            r.cpu_period = static_cast<std::uint64_t>(*v);
            break;
        case kCpuQuota:
            r.cpu_quota = *v;
            break;
        case kPidsLimit:
            r.pids_limit = *v;
            break;
        case kBlkioWeight:
            r.blkio_weight = static_cast<std::uint16_t>(*v);
            break;
        default:
            break;
    }
    return {};
}

Result<std::unique_ptr<engine::Cgroup>> make_cgroup(CgroupRequest& request) {
    if (!request.wanted) return std::unique_ptr<engine::Cgroup>();
    if (request.name.empty()) request.name = "run-" + std::to_string(getpid());
    auto manager = engine::detect_cgroups();
    if (!manager) return manager.error();
    auto group = (*manager)->create(request.name);
    if (!group) return group.error();
    if (auto applied = (*group)->apply(request.resources); !applied) {
        (void)(*group)->destroy();
        return applied.error();
    }
    return std::move(*group);
}

CgroupGuard::~CgroupGuard() {
    if (!group_) return;
    if (auto gone = group_->destroy(); !gone) {
        std::fprintf(stderr, "berth-run: %s\n", gone.error().message().c_str());
    }
}

std::vector<std::string> CgroupGuard::procs_files() const {
    return group_ ? group_->procs_files() : std::vector<std::string>{};
}

int CgroupGuard::finish(int status) {
    if (!group_) return status;
    if (auto oom = group_->oom_killed(); oom && *oom) {
        std::fprintf(stderr, "berth-run: the container was OOM-killed\n");
    }
    return status;
}

}  // namespace berth::run
