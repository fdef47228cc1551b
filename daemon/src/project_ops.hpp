// The project routes that change containers: up/create, down, start, stop, restart, kill, pause,
// unpause, rm (project_up.cpp, project_actions.cpp).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "container_ops.hpp"
#include "daemon/http.hpp"
#include "daemon_context.hpp"
#include "progress.hpp"
#include "project_request.hpp"
#include "project_state.hpp"

namespace berth::daemon {

struct ServicePlanInput {
    std::optional<ResolvedImage> image;
    scheduler::DesiredService desired;
};

// Everything `up` checks before it changes anything: the graph, the images, every service's
// container options, and the plan.
struct PreparedUp {
    scheduler::Graph graph;
    std::map<std::string, ServicePlanInput> inputs;
    ProjectContainers actual;
    scheduler::Plan plan;
};
Result<PreparedUp> prepare_up(DaemonContext& ctx, const UpRequest& up);
// Carries the plan out, with progress; the caller holds the project lock.
Result<void> execute_up(DaemonContext& ctx, const UpRequest& up, PreparedUp& prepared,
                        Progress& progress);

void handle_up(DaemonContext& ctx, const HttpRequest& req, ResponseWriter& w, bool create_only);
void handle_down(DaemonContext& ctx, const HttpRequest& req, ResponseWriter& w);
// verb: start, stop, restart, kill, pause, unpause, rm
void handle_action(DaemonContext& ctx, const HttpRequest& req, ResponseWriter& w,
                   const std::string& verb);

}  // namespace berth::daemon
