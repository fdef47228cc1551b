#include "run_cgroup.hpp"

#include <unistd.h>

#include <cstdio>

namespace berth::run {

std::vector<option> cgroup_option_table() {
    std::vector<option> table = engine::limit_option_table();
    table.push_back({"cgroup", required_argument, nullptr, kCgroupOption});
    return table;
}

const char* const kCgroupUsage =
    "  --cgroup NAME --memory BYTES --memory-swap BYTES --memory-reservation BYTES\n"
    "  --cpus N --cpu-shares N --cpu-period US --cpu-quota US --cpuset-cpus L --cpuset-mems L\n"
    "  --pids-limit N --blkio-weight N --blkio-weight-device DEV:W\n"
    "  --device-{read,write}-{bps,iops} DEVICE:RATE\n";

bool is_cgroup_option(int opt) {
    return opt == kCgroupOption ||
           (opt >= engine::kRunOptionIdEnd && opt < engine::kCreateOptionIdEnd);
}

Result<void> apply_cgroup_option(int opt, const std::string& arg, CgroupRequest& request) {
    request.wanted = true;
    if (opt == kCgroupOption) {
        request.name = arg;
        return {};
    }
    return engine::apply_create_option(opt, arg, request.limits);
}

Result<std::unique_ptr<engine::Cgroup>> make_cgroup(CgroupRequest& request) {
    if (!request.wanted) return std::unique_ptr<engine::Cgroup>();
    if (auto done = engine::finish_create_options(request.limits); !done) return done.error();
    if (request.name.empty()) request.name = "run-" + std::to_string(getpid());
    auto manager = engine::detect_cgroups();
    if (!manager) return manager.error();
    auto group = (*manager)->create(request.name);
    if (!group) return group.error();
    if (auto applied = (*group)->apply(request.limits.resources); !applied) {
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
