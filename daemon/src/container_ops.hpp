// One container of a service, made and unmade: the image snapshot, the /etc files, the engine
// container, the state record and the events. Shared by up, run and down.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "compose/project.hpp"
#include "daemon/state.hpp"
#include "daemon_context.hpp"
#include "images/image_config.hpp"
#include "images/images.hpp"

namespace berth::daemon {

struct ResolvedImage {
    std::string ref;  // as the service names it
    std::string id;   // sha256:...
    images::ImageConfig config;
    images::ImageInfo info;
};

// The service's image from the local store. Pulling comes later, so a missing image is an
// error saying how to get it.
Result<ResolvedImage> resolve_image(DaemonContext& ctx, const std::string& service,
                                    const compose::Node& node);

// `run` overrides of the service definition.
struct RunOverrides {
    std::optional<std::vector<std::string>> command, entrypoint;
    std::vector<std::string> env;
    std::optional<std::string> user, workdir;
    std::optional<bool> tty;
    bool service_ports = false;        // publish the service's ports (run --service-ports)
    std::vector<std::string> publish;  // run --publish
};

struct NewContainer {
    std::string service;
    int number = 1;
    bool oneoff = false;
    std::string name;
    std::string config_hash;
    const RunOverrides* run = nullptr;
    // target → anonymous volume of the container this one replaces: a recreated container keeps
    // its anonymous volumes' data, as docker compose hands them on.
    std::map<std::string, std::string> inherited_volumes;
};

// The anonymous volumes a container mounts, by target (what a recreation hands on).
std::map<std::string, std::string> anonymous_volumes(DaemonContext& ctx, const std::string& id);

// Creates (does not start) the container; on failure nothing of it is left behind.
Result<ContainerRecord> create_container(DaemonContext& ctx, const compose::Project& project,
                                         const ResolvedImage& image, const NewContainer& spec);

// Stops it (gracefully within timeout, nullopt = its own stop timeout) when running, then
// removes the engine container, its files and its record. Every error is collected. `outcome`,
// when given, learns whether the stop had to kill. With `anonymous_volumes` (rm -v, run --rm)
// its anonymous volumes go too.
Result<void> remove_container(DaemonContext& ctx, const ContainerRecord& c,
                              std::optional<double> timeout, StopOutcome* outcome = nullptr,
                              bool anonymous_volumes = false);

// A start by the user: resets the restart manager (restart_manager.hpp), then launches.
Result<void> start_container(DaemonContext& ctx, const ContainerRecord& c);
// The start itself, with its event; restarts by the policy go through here alone.
Result<void> launch_container(DaemonContext& ctx, const ContainerRecord& c);
// A stop by the user (the restart policy is cancelled); `outcome` as for remove_container.
Result<void> stop_container(DaemonContext& ctx, const ContainerRecord& c,
                            std::optional<double> timeout, StopOutcome* outcome = nullptr);

// The event attributes of a container.
std::map<std::string, std::string> event_attributes(const ContainerRecord& c);

// Publishes `oom` (when so) and `die` for the run that st ended, once per run whoever sees it
// first: the exit watch, or stop and rm, which must not leave it to a poll that may come after
// the container is gone. True when this call published it.
bool publish_exit(DaemonContext& ctx, const ContainerRecord& c, const ContainerStatus& st);

// The CPUs online, for the `cpus` bound (Docker's "Range of CPUs is from 0.01 to N").
int host_cpus();

// 64 random hex digits.
std::string new_container_id();

}  // namespace berth::daemon
