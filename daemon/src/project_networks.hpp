// A project's networks: made before its containers by `up` (and `run`), removed after them by
// `down`; and the published ports `up` is about to take, checked before anything is made.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "compose/project.hpp"
#include "daemon_context.hpp"
#include "progress.hpp"
#include "scheduler/planner.hpp"

namespace berth::daemon {

// Creates the project's networks that do not exist yet, with compose's labels; an external one
// must exist. Progress shows each one made.
Result<void> ensure_project_networks(DaemonContext& ctx, const compose::Project& project,
                                     Progress* progress);

// Removes the networks the project made. One a container still uses (another project's, or a
// container connected by hand) is left with a warning, as docker compose does: down goes on.
void remove_project_networks(DaemonContext& ctx, const std::string& project, Progress& progress);

// The project's subnets and the static addresses of the services up is about to run
// (scheduler::check_project_networks): a mistake there is refused before anything is made.
Result<void> check_project_addresses(const compose::Project& project,
                                     const std::vector<scheduler::DesiredService>& desired);

// The fixed host ports of the services the plan creates must be free, unless a container the
// plan replaces or removes holds them: `port 8080 is already in use` before anything starts.
Result<void> check_plan_ports(DaemonContext& ctx, const compose::Project& project,
                              const scheduler::Plan& plan);

// The static addresses and MAC addresses of the services the plan creates: one outside its
// network's subnet, two containers with one address, or a bad MAC stop `up` before anything is
// made, rather than after some containers are.
Result<void> check_plan_attachments(const compose::Project& project, const scheduler::Plan& plan);

}  // namespace berth::daemon
