// A compose service (normalized model) and its image → the options of one engine container
// (`berth-ctr create` arguments) and what berth records about it. Pure: reading files and
// resolving other containers are the caller's, through ContainerContext.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "compose/node.hpp"
#include "images/image_config.hpp"
#include "scheduler/logging.hpp"

namespace berth::scheduler {

struct ContainerContext {
    std::string project;
    std::string service;
    int number = 1;
    bool oneoff = false;
    std::string container_name;  // also the default hostname, as docker compose does
    std::string config_hash;
    std::string image_id;
    images::ImageConfig image;  // the image's config
    // Rootfs options from the image snapshot, e.g. {"--lower", "/a:/b", "--upper", ...}.
    std::vector<std::string> rootfs_args;
    std::string state_dir;  // holds hosts, hostname, resolv.conf (--state-dir)
    int host_cpus = 1;
    LogRotation log_defaults;  // the daemon's log-opts, under the service's logging.options
    // The pid of a running container of another service (for ipc/pid: "service:x"), or an error.
    std::function<Result<int>(const std::string& service)> service_pid;
    // The container's own network namespace, pinned by berthd, for a service on networks.
    std::string netns_path;
    // The namespace network_mode "service:x" or "container:x" joins, or an error.
    std::function<Result<std::string>(const std::string& mode)> shared_netns;
    // The host folder a `type: volume` mount binds: `source` is the volume's key in the
    // project's `volumes:`, "" for an anonymous volume at `target`. Unset: volumes are refused.
    std::function<Result<std::string>(const std::string& source, const std::string& target)>
        volume_source;
    // volumes_from: the mounts of the container a reference names ("service" or
    // "container:name"), as {host folder or file, target, read_only}. Unset: refused.
    struct SharedMount {
        std::string source, target;
        bool read_only = false;
    };
    std::function<Result<std::vector<SharedMount>>(const std::string& ref)> volumes_from;
    // The host file of a service's config or secret (`kind` "config" or "secret", `source` its
    // key in the top-level map). Unset: configs and secrets are refused.
    std::function<Result<std::string>(const std::string& kind, const std::string& source)>
        file_source;
    // `run` overrides (nullopt = the service's)
    std::optional<std::vector<std::string>> command, entrypoint;
    std::vector<std::string> extra_env;  // K=V, override the service's
    std::optional<std::string> user, workdir;
    std::optional<bool> tty;
};

struct ContainerArgs {
    std::vector<std::string> create_args;  // OPTIONS -- CMD ARGS (as parse_create_options takes)
    std::vector<std::string> command;      // the process (entrypoint + cmd) after image defaults
    std::map<std::string, std::string> labels;  // berth.* plus the service's labels
    std::string hostname;
    std::vector<std::string> warnings;
    // The image's HEALTHCHECK under the service's healthcheck; nullopt: none or disabled.
    std::optional<images::Healthcheck> healthcheck;
};

// Label keys.
inline constexpr const char* kLabelProject = "berth.project";
inline constexpr const char* kLabelService = "berth.service";
inline constexpr const char* kLabelNumber = "berth.number";
inline constexpr const char* kLabelConfigHash = "berth.config-hash";
inline constexpr const char* kLabelOneoff = "berth.oneoff";

// Fails, naming the attribute, for what berth cannot run yet or at all: a service on networks
// without a namespace made for it (netns_path), named volumes, unknown ipc/pid modes.
Result<ContainerArgs> container_args(const compose::Node& service, const ContainerContext& ctx);

// Whether the service sits on networks (no network_mode, or network_mode bridge, or networks
// listed): berthd makes its namespace and interfaces before the container.
bool needs_bridge_network(const compose::Node& service);

}  // namespace berth::scheduler
