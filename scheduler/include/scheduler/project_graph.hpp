// The dependency graph of a loaded project: reads services.*.depends_on from the normalized model.
#pragma once

#include <vector>

#include "common/result.hpp"
#include "compose/project.hpp"
#include "scheduler/graph.hpp"

namespace berth::scheduler {

// One ServiceNode per enabled service, from the long form the loader guarantees.
std::vector<ServiceNode> service_nodes(const compose::Project& project);

Result<Graph> project_graph(const compose::Project& project);

}  // namespace berth::scheduler
