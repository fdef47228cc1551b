// The service dependency graph: which services must be up before which, in what order services
// start and stop, and which ones follow a dependency when it restarts. Pure data in, pure data out,
// so the planner's ordering is unit tested without a daemon.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace berth::scheduler {

// depends_on.<name>.condition
enum class Condition { Started, Healthy, CompletedSuccessfully };

// One depends_on entry, in its long form.
struct Dependency {
    std::string service;
    Condition condition = Condition::Started;
    bool required = true;  // false: a missing or disabled dependency is ignored
    bool restart = false;  // restart this service when the dependency is restarted or recreated
};

struct ServiceNode {
    std::string name;
    std::vector<Dependency> depends_on;
};

class Graph {
  public:
    // Fails on a duplicate service, a required dependency on a service that is not in `services`,
    // and a dependency cycle. A missing optional dependency is dropped and noted in warnings().
    static Result<Graph> build(const std::vector<ServiceNode>& services);

    // Start order: level 0 has no dependencies; every service comes one level after its deepest
    // dependency. Each level is sorted and its services may start in parallel.
    std::vector<std::vector<std::string>> up_levels() const;
    // Stop order: level 0 has no dependents; a service stops only once everything that depends on
    // it has stopped.
    std::vector<std::vector<std::string>> down_levels() const;

    // `names` plus everything they depend on, transitively; sorted. Unknown names are skipped: the
    // caller reports them, since it knows whether they are disabled by a profile or misspelt.
    std::vector<std::string> dependencies_closure(const std::vector<std::string>& names) const;
    // The services that declared `restart: true` on their dependency on `service`; sorted.
    std::vector<std::string> dependents_to_restart(const std::string& service) const;

    // The kept dependencies of `service` (sorted by name), empty for an unknown service.
    const std::vector<Dependency>& dependencies(const std::string& service) const;
    std::vector<std::string> services() const;  // sorted
    bool contains(const std::string& service) const { return nodes_.count(service) != 0; }
    const std::vector<std::string>& warnings() const { return warnings_; }

  private:
    struct Vertex {
        std::vector<Dependency> dependencies;  // sorted by service name, no duplicates
        std::vector<std::string> dependents;   // sorted
    };

    // Ordered by name: every walk over the graph is deterministic, and so is every message.
    std::map<std::string, Vertex> nodes_;
    std::vector<std::string> warnings_;

    Result<void> add_services(const std::vector<ServiceNode>& services);
    Result<void> link();
    Result<void> check_cycles() const;
    std::vector<std::vector<std::string>> levels(bool by_dependencies) const;
};

// "service_started", "service_healthy", "service_completed_successfully": the compose spelling.
const char* to_string(Condition condition);
std::optional<Condition> parse_condition(std::string_view text);

}  // namespace berth::scheduler
