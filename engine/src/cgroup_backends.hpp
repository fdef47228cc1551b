// The two CgroupManager implementations, chosen by detect_cgroups().
#pragma once

#include <map>
#include <memory>
#include <string>

#include "engine/cgroups.hpp"

namespace berth::engine::cgroup {

inline constexpr const char* kParent = "berth";

// The v1 controllers a container is placed under, each normally its own mount (cpu and cpuacct
// are separate here, "cpu,cpuacct" with symlinks on other hosts: the same directory is used once).
inline constexpr const char* kV1Controllers[] = {"cpu",   "cpuacct", "cpuset", "memory",
                                                 "blkio", "pids",    "freezer"};

// `hierarchies`: controller → its mount directory, only for the controllers present.
std::unique_ptr<CgroupManager> make_v1_manager(std::map<std::string, std::string> hierarchies);
std::unique_ptr<CgroupManager> make_v2_manager(std::string root);

// A container name is one path component: it must not escape the berth parent.
Result<void> check_name(const std::string& name);

// Creating a container's cgroup is the same in both layouts: check the name, make the directories,
// and leave nothing half-made when that fails.
class ManagerBase : public CgroupManager {
  public:
    Result<std::unique_ptr<Cgroup>> create(const std::string& name) final;

  protected:
    virtual std::unique_ptr<Cgroup> make(const std::string& name) const = 0;
    virtual Result<void> make_dirs(const std::string& name) const = 0;
};

}  // namespace berth::engine::cgroup
