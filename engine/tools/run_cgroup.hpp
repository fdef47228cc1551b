// berth-run's cgroup: --cgroup NAME and the limits berth-ctr create takes (create_options.hpp),
// parsed by the same code so the two tools read every limit the same way.
#pragma once

#include <getopt.h>

#include <memory>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "engine/cgroups.hpp"
#include "engine/create_options.hpp"
#include "engine/run_options.hpp"

namespace berth::run {

struct CgroupRequest {
    std::string name;  // berth/<name>; defaults to run-<pid> when a limit is given
    engine::CreateOptions limits;
    bool wanted = false;
};

constexpr int kCgroupOption = engine::kCreateOptionIdEnd;

// --cgroup and the limit options, without the terminating zero entry.
std::vector<option> cgroup_option_table();
extern const char* const kCgroupUsage;

bool is_cgroup_option(int opt);
Result<void> apply_cgroup_option(int opt, const std::string& arg, CgroupRequest& request);

// Detects the machine's layout, creates the cgroup and applies the limits; removed again when
// applying fails. Null when no cgroup was asked for.
Result<std::unique_ptr<engine::Cgroup>> make_cgroup(CgroupRequest& request);

// The container's cgroup: removed when berth-run ends (errors on stderr), after an OOM kill has
// been reported.
class CgroupGuard {
  public:
    explicit CgroupGuard(std::unique_ptr<engine::Cgroup> group) : group_(std::move(group)) {}
    CgroupGuard(const CgroupGuard&) = delete;
    CgroupGuard& operator=(const CgroupGuard&) = delete;
    ~CgroupGuard();
    std::vector<std::string> procs_files() const;
    // Passes the container's exit status through, saying on stderr when it was an OOM kill.
    int finish(int status);

  private:
    std::unique_ptr<engine::Cgroup> group_;
};

}  // namespace berth::run
