// network_mode "service:x": a container that joined x's network namespace keeps that namespace
// when x's container is recreated, and is then cut off (the namespace lost its interfaces with
// the old container). docker compose recreates it at the next `up`, since its config hash names
// x's container; berth finds such containers by comparing namespaces.
#pragma once

#include "compose/project.hpp"
#include "daemon_context.hpp"
#include "project_state.hpp"

namespace berth::daemon {

// Marks the running containers whose network namespace is no longer the one their
// network_mode "service:x" names as changed (their actual config hash), so the plan recreates
// them.
void mark_stale_shared_netns(DaemonContext& ctx, const compose::Project& project,
                             ProjectContainers& pc);

}  // namespace berth::daemon
