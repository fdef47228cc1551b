// A project's actual state as the planner sees it: its containers' records joined with their
// run state from the engine.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "compose/project.hpp"
#include "daemon/state.hpp"
#include "daemon_context.hpp"
#include "scheduler/graph.hpp"
#include "scheduler/planner.hpp"

namespace berth::daemon {

struct ProjectContainers {
    std::vector<ContainerRecord> records;
    std::vector<scheduler::ActualContainer> actual;  // same order
    std::map<std::string, const ContainerRecord*> by_id;
};

Result<ProjectContainers> project_containers(DaemonContext& ctx, const std::string& project);

scheduler::RunState run_state_of(ContainerRunState s);

// The project's dependency graph from the model in the request, else the one stored by the last
// `up`, else an empty graph (everything at once).
scheduler::Graph graph_for(DaemonContext& ctx, const std::string& project,
                           const compose::Project* given);

// The model stored by the last `up`, if any.
std::optional<compose::Project> stored_project(DaemonContext& ctx, const std::string& project);

// Runs the steps with the daemon's parallel bound, each recorded in the state database before
// and after it runs (a daemon killed mid-plan leaves them pending or running, and start-up
// settles them); the errors joined, or ok.
Result<void> run_steps(DaemonContext& ctx, const std::string& project,
                       const std::vector<scheduler::Step>& steps, int parallel,
                       const std::function<Result<void>(const scheduler::Step&)>& run);

// Indexes of steps of containers whose services `service` depends on (forward order), for
// start/restart of existing containers.
std::vector<scheduler::Step> forward_steps(const scheduler::Graph& graph,
                                           const std::vector<scheduler::ActualContainer>& actual,
                                           scheduler::Action action);

}  // namespace berth::daemon
