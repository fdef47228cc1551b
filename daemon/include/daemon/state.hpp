// berthd's state in SQLite (WAL, schema migrations) under <data-root>/berth.db: projects with
// their normalized model, containers with their labels, the images, the events log and the steps
// of plans.
// A container's run state (running, exited, its pid) is not stored here: it lives in the engine's
// container folder, written by its monitor, so it stays right while berthd is down.
// Thread-safe: one connection behind a mutex (statements are short).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace berth::daemon {

struct ProjectRecord {
    std::string name;
    std::string model_json;  // the normalized project as the client sent it
    std::vector<std::string> config_files;
    std::string working_dir;
    std::string updated_at;  // RFC 3339
};

struct ContainerRecord {
    std::string id;    // 64 hex
    std::string name;  // unique
    std::string project, service;
    int number = 1;
    bool oneoff = false;
    std::string config_hash;
    std::string image;                          // as written in the service ("busybox")
    std::string image_id;                       // sha256:...
    std::vector<std::string> command;           // what runs (entrypoint + cmd), for ps
    std::map<std::string, std::string> labels;  // berth.* and the service's labels
    std::int64_t created = 0;                   // unix seconds
};

// An image of the store, as berthd last saw it (sync_images), and what only berthd knows of it.
struct ImageRecord {
    std::string id;                  // sha256:...
    std::vector<std::string> names;  // full references, sorted
    std::string created;             // RFC 3339, from the image's config
    std::uint64_t size = 0;
    std::string last_tag_time;   // RFC 3339: when berthd saw a name of it first; "" if it had none
    std::int64_t last_used = 0;  // unix seconds: the last container created from it; 0 = never
};

// A network berthd made (or took as external): its spec and IPAM as JSON, so the kernel side can
// be made again when berthd starts (daemon/src/network_manager.cpp).
struct NetworkRecord {
    std::string id;  // 64 hex
    std::string name;
    std::string driver;   // bridge, macvlan, ipvlan
    std::string project;  // the compose project that made it; "" for `network create`
    std::string spec;     // the network::NetworkSpec as JSON
    std::string ipam;     // {"subnets":[{Subnet, IPRange, Gateway, AuxiliaryAddresses}],"last":{}}
    std::string link;     // the bridge; "" for macvlan and ipvlan
    std::int64_t created = 0;  // unix nanoseconds
};

// A container's interface on a network.
struct EndpointRecord {
    std::string container_id, network_id;
    std::string ifname;     // in the container: eth0, ...
    std::string host_link;  // the veth's host end; "" for macvlan and ipvlan
    std::string mac;
    std::string ipv4, ipv6;  // addresses without prefix; "" when none
    std::vector<std::string> aliases;
    int position = 0;  // the order of the container's interfaces
};

// A published port as made: the host side chosen (a random one filled in) and reserved.
struct PortRecord {
    std::string container_id;
    std::string protocol;  // tcp, udp, sctp
    std::string host_ip;   // "" = every address
    int host_port = 0;
    int container_port = 0;
};

// A volume: its folder is <data-root>/volumes/<name>/_data (volumes/volume.hpp).
struct VolumeRecord {
    std::string name;
    std::string driver = "local";
    std::map<std::string, std::string> options;  // driver_opts
    std::map<std::string, std::string> labels;
    std::string project;       // the compose project that made it; "" for `volume create`
    bool anonymous = false;    // made for one container's `- /path` or its image's VOLUME
    std::int64_t created = 0;  // unix seconds
};

// A volume mounted by a container at `target`.
struct VolumeMount {
    std::string container_id, volume, target;
};

// A container's restart policy and the restart manager's state that outlives a daemon restart
// (daemon/src/restart_manager.cpp).
struct RestartRecord {
    std::string id;
    std::string policy = "no";  // no, always, on-failure[:N], unless-stopped
    std::string stop_signal;    // the service's own stop_signal; "" when it sets none
    int restart_count = 0;      // restarts by the policy since the user last started it
    bool manually_stopped = false;
};

struct EventRecord {
    std::int64_t seq = 0;
    std::int64_t time_nano = 0;
    std::string type = "container";  // container, network, volume, image
    std::string action;              // create, start, die, ...
    std::string id;
    std::map<std::string, std::string> attributes;
};

// A container's healthcheck (JSON of images::Healthcheck) and its health state (JSON, "" when
// never probed); only containers with a healthcheck have one.
struct HealthRecord {
    std::string id;
    std::string config;
    std::string state;
};

enum class StepState { Pending, Running, Done, Failed };

struct StepRecord {
    std::int64_t id = 0;
    std::string plan_id;
    std::string project;
    int seq = 0;
    std::string kind;    // create, start, stop, remove, recreate
    std::string target;  // container name or id
    StepState state = StepState::Pending;
    std::string error;
};

class StateDb {
  public:
    // Opens or creates the file, sets WAL and busy_timeout, and migrates the schema forward
    // (user_version); a newer schema than this build knows is an error naming both versions.
    static Result<std::unique_ptr<StateDb>> open(const std::string& path);
    ~StateDb();
    StateDb(const StateDb&) = delete;
    StateDb& operator=(const StateDb&) = delete;

    int schema_version() const;
    // Hands SQLite's cached pages back to malloc (an idle daemon need not hold them).
    void release_memory();

    Result<void> put_project(const ProjectRecord& p);  // insert or replace
    Result<std::optional<ProjectRecord>> project(const std::string& name);
    Result<std::vector<ProjectRecord>> projects();
    Result<void> remove_project(const std::string& name);

    Result<void> put_container(const ContainerRecord& c);  // insert or replace by id
    Result<std::optional<ContainerRecord>> container(const std::string& id);
    Result<std::optional<ContainerRecord>> container_by_name(const std::string& name);
    // project "" = all; sorted by service, then number.
    Result<std::vector<ContainerRecord>> containers(const std::string& project);
    Result<void> remove_container(const std::string& id);

    // Makes the image rows the store's listing: rows of images gone are dropped, last_used is
    // kept, and an image with a name it did not have before gets last_tag_time = now.
    Result<void> sync_images(const std::vector<ImageRecord>& listing);
    Result<std::vector<ImageRecord>> images();        // sorted by id
    Result<void> touch_image(const std::string& id);  // last_used = now

    // Restart state (state_restart.cpp); the row is removed with its container.
    Result<void> put_restart(const RestartRecord& r);  // insert or replace by id
    Result<std::optional<RestartRecord>> restart_record(const std::string& id);
    Result<std::vector<RestartRecord>> restart_records();

    // Appends and returns the event with its seq.
    Result<EventRecord> add_event(EventRecord e);
    Result<std::vector<EventRecord>> events_since(std::int64_t after_seq, std::int64_t since_nano,
                                                  std::int64_t until_nano);
    // Keeps the newest `keep` events.
    Result<void> trim_events(std::int64_t keep);

    // A plan's steps are recorded before they run and updated after.
    Result<std::int64_t> add_step(const StepRecord& s);
    Result<void> set_step_state(std::int64_t id, StepState state, const std::string& error);
    // Steps left Pending or Running (by a daemon that died mid-plan), oldest first.
    Result<std::vector<StepRecord>> unfinished_steps();

    // Removed with the container's record (remove_container).
    Result<void> put_health(const HealthRecord& h);  // insert or replace
    Result<void> set_health_state(const std::string& id, const std::string& state);
    Result<std::optional<HealthRecord>> health(const std::string& id);

    // Networks, endpoints and published ports (state_network.cpp).
    Result<void> put_network(const NetworkRecord& n);  // insert or replace by id
    Result<std::vector<NetworkRecord>> networks();     // sorted by name
    Result<void> remove_network(const std::string& id);
    Result<void> put_endpoint(const EndpointRecord& e);  // insert or replace
    // All endpoints; container_id "" = every container's, network_id likewise.
    Result<std::vector<EndpointRecord>> endpoints(const std::string& container_id = "",
                                                  const std::string& network_id = "");
    Result<void> remove_endpoint(const std::string& container_id, const std::string& network_id);
    Result<void> put_ports(const std::string& container_id, const std::vector<PortRecord>& ports);
    Result<std::vector<PortRecord>> ports(const std::string& container_id = "");
    Result<void> remove_ports(const std::string& container_id);

    // Volumes and their mounts (state_volume.cpp). A container's mount rows go with it
    // (remove_container).
    Result<void> put_volume(const VolumeRecord& v);  // insert or replace by name
    Result<std::optional<VolumeRecord>> volume(const std::string& name);
    Result<std::vector<VolumeRecord>> volumes();  // sorted by name
    Result<void> remove_volume(const std::string& name);
    Result<void> put_volume_mounts(const std::string& container_id,
                                   const std::vector<VolumeMount>& mounts);
    // container_id "" = every container's; volume "" likewise.
    Result<std::vector<VolumeMount>> volume_mounts(const std::string& container_id = "",
                                                   const std::string& volume = "");

  private:
    StateDb();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

const char* to_string(StepState s);

}  // namespace berth::daemon
