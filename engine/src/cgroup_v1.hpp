// The v1 backend: one directory per controller hierarchy, berth/<name> in each.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cgroup_values.hpp"
#include "engine/cgroups.hpp"

namespace berth::engine::cgroup {

class CgroupV1 : public Cgroup {
  public:
    // `dirs`: controller → this container's directory in that controller's hierarchy.
    CgroupV1(std::string path, std::map<std::string, std::string> dirs, HostLimits host);

    Result<void> apply(const Resources& r) override;
    std::vector<std::string> procs_files() const override;
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
    // The directory of `controller`, or an error saying the controller is not mounted.
    Result<std::string> dir(const char* controller) const;
    Result<void> apply_memory(const Resources& r);
    Result<void> apply_cpu(const Resources& r);
    Result<void> apply_cpuset(const Resources& r);
    Result<void> apply_pids(const Resources& r);
    Result<void> apply_blkio(const Resources& r);

    std::string path_;
    std::map<std::string, std::string> dirs_;
    std::vector<std::string> unique_dirs_;  // each hierarchy once, for procs and teardown
    HostLimits host_;
};

}  // namespace berth::engine::cgroup
