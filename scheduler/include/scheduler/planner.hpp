// The planner: desired state (the project's services and their config hashes) against actual
// state (the containers that carry the project's labels) gives the steps of `up` and `down`, each
// with the steps it must wait for. Pure: no daemon, no syscalls.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "compose/node.hpp"
#include "scheduler/graph.hpp"

namespace berth::scheduler {

struct DesiredService {
    std::string name;
    std::string config_hash;     // config_hash_with_image()
    int replicas = 1;            // scale / deploy.replicas
    std::string container_name;  // container_name, or "" for <project>-<service>-<n>
    // Services whose container this one joins (network_mode, ipc, pid, uts: "service:x"): when
    // one of them is recreated, this one holds a namespace of a container that is gone.
    std::vector<std::string> shares_with;
};

enum class RunState { Created, Running, Paused, Exited, Dead };

struct ActualContainer {
    std::string id;
    std::string name;
    std::string service;
    int number = 1;
    bool oneoff = false;
    std::string config_hash;
    RunState state = RunState::Created;
};

// As docker compose: the services named (all, when none is) follow force_recreate; the ones
// they bring along as dependencies follow always_recreate_deps.
struct UpOptions {
    std::vector<std::string> services;  // empty = every enabled service
    bool no_deps = false;               // only `services`, not what they depend on
    bool force_recreate = false;
    bool always_recreate_deps = false;
    bool no_recreate = false;
    bool remove_orphans = false;
    bool no_start = false;
};

enum class Action {
    Create,    // a new container (then started unless no_start)
    Recreate,  // stop and remove the old one, create and start the new one
    Start,     // an existing container that is not running
    Keep,      // up to date and running: nothing to do ("Running")
    Stop,
    Remove,   // stop first when running
    Restart,  // stop and start a running container: its depends_on with restart: true was recreated
};
const char* to_string(Action a);

struct Step {
    Action action = Action::Keep;
    std::string service;
    int number = 1;
    std::string container_id;    // the existing container (Recreate, Start, Keep, Stop, Remove)
    std::string container_name;  // the new or existing name
    // Why, for Recreate: "config changed", "forced", or "db recreated" (a namespace it joins);
    // "scale down" for a Remove.
    std::string reason;
    std::vector<std::size_t> after;  // indexes of the steps that must finish first
};

struct Plan {
    std::vector<Step> steps;
    std::vector<ActualContainer> orphans;  // containers of services the project no longer has
    std::vector<std::string> warnings;     // docker compose's orphan warning, ...
};

// <project>-<service>-<n>, or container_name when the service sets one.
std::string container_name(const std::string& project, const DesiredService& s, int number);
// The hash the container label carries: the service's normalized definition and its image id.
std::string config_hash_with_image(const std::string& service_hash, const std::string& image_id);

// `up`: services in dependency order (a service's steps come after those of what it depends on),
// Keep for containers that are up to date, Recreate for those whose hash differs or that join a
// recreated service's namespaces (never with no_recreate; always with force_recreate, or
// always_recreate_deps for dependencies), Restart for a running, up-to-date container whose
// depends_on entry with `restart: true` names a recreated service, Create up to `replicas` taking
// the lowest free numbers, Remove beyond it (outdated containers first, then the highest numbers),
// Remove for orphans only with remove_orphans (else a warning naming them). Unknown names in
// options.services fail
// (`no such service: "x"`), and so does container_name on a service scaled past 1.
Result<Plan> plan_up(const std::string& project, const Graph& graph,
                     const std::vector<DesiredService>& desired,
                     const std::vector<ActualContainer>& actual, const UpOptions& options);

// `down` / `stop` / `rm`: the reverse: a container stops only after the containers of services
// that depend on it. `graph` may be empty (no model known): then everything goes at once.
// action is Stop or Remove; one-off containers are included (down removes them too); orphans
// only with remove_orphans.
Plan plan_down(const Graph& graph, const std::vector<ActualContainer>& actual, Action action,
               const std::vector<std::string>& services, bool remove_orphans);

// The top-level keys of a service that differ between two normalized definitions, sorted
// ("command", "environment"), for "Recreate ... (config changed: command)".
std::vector<std::string> changed_keys(const compose::Node& before, const compose::Node& after);

}  // namespace berth::scheduler
