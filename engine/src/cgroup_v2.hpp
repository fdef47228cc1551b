// The v2 backend: one directory, <root>/berth/<name>, in the unified hierarchy.
#pragma once

#include <string>
#include <vector>

#include "cgroup_values.hpp"
#include "engine/cgroups.hpp"

namespace berth::engine::cgroup {

class CgroupV2 : public Cgroup {
  public:
    CgroupV2(std::string path, std::string dir, HostLimits host);

    Result<void> apply(const Resources& r) override;
    std::vector<std::string> procs_files() const override { return {dir_ + "/cgroup.procs"}; }
    Result<void> add(pid_t pid) override;
    Result<void> freeze() override;
    Result<void> thaw() override;
    Result<bool> frozen() const override;
    Result<std::vector<pid_t>> pids() const override;
    Result<CgroupStats> stats() const override;
    Result<bool> oom_killed() const override;
    Result<void> destroy() override;
    const std::string& path() const override { return path_; }

  private:
    Result<void> apply_memory(const Resources& r);
    Result<void> apply_cpu(const Resources& r);
    Result<void> apply_cpuset(const Resources& r);
    Result<void> apply_pids(const Resources& r);
    Result<void> apply_io(const Resources& r);
    std::string file(const char* name) const { return dir_ + "/" + name; }

    std::string path_;
    std::string dir_;
    HostLimits host_;
};

}  // namespace berth::engine::cgroup
