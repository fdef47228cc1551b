// berthd's networks: bridges, macvlan and ipvlan networks made in the kernel, each container's
// pinned network namespace and its interfaces on them, the published ports it holds, and berth's
// nftables table rebuilt from all of these after every change. The state database is the record:
// every kernel object made is written down, so a restarted berthd can make missing ones again
// and `down` can undo them. One lock orders every change, so allocations never race.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "daemon/state.hpp"
#include "link_reaper.hpp"
#include "network/firewall.hpp"
#include "network/ipam.hpp"
#include "network/port_reservation.hpp"
#include "network/spec.hpp"
#include "scheduler/network_specs.hpp"

namespace berth::daemon {

struct NetworkManagerOptions {
    std::string netns_root;                   // <exec-root>/netns: the pinned namespaces
    std::vector<network::AddressPool> pools;  // daemon.json's default-address-pools, or Docker's
    std::string resolv_conf = "/etc/resolv.conf";
    bool firewall = true;  // false only where no nftables may be touched (unit tests)
};

// A network a container joins, in interface order.
struct NetworkJoin {
    NetworkRecord network;
    scheduler::Attachment attachment;
};

class NetworkManager {
  public:
    NetworkManager(StateDb& db, NetworkManagerOptions options);

    // When berthd starts: makes missing bridges again, forgets endpoints and ports of containers
    // that are gone (`live` holds those that exist), reserves the published ports again and
    // rebuilds the firewall. Every error is collected; what can be restored is.
    Result<void> restore(const std::set<std::string>& live);

    // A new network; its name must be free. Nothing is left behind on failure.
    Result<NetworkRecord> create(const network::NetworkSpec& spec, const std::string& project);
    // By name, id, or unique id prefix (at least 1 character).
    Result<std::optional<NetworkRecord>> find(const std::string& name_or_id);
    Result<std::vector<NetworkRecord>> list();
    // Refused while a container is on it, naming the network as Docker does.
    Result<void> remove(const NetworkRecord& n);

    // The file pinning a container's network namespace.
    std::string netns_path(const std::string& container_id) const;
    // A new namespace for the container, its interfaces on `joins` (in order: eth0, eth1, ...)
    // and its published ports, reserved and forwarded to its first bridge address. All or
    // nothing: on failure whatever was made is undone.
    Result<void> setup_container(const std::string& container_id,
                                 const std::vector<NetworkJoin>& joins,
                                 const std::vector<scheduler::PublishedPort>& ports);
    // `network connect` on a container that has a namespace of berth's.
    Result<EndpointRecord> connect(const std::string& container_id, const NetworkRecord& n,
                                   const scheduler::Attachment& attachment);
    Result<void> disconnect(const std::string& container_id, const NetworkRecord& n);
    // Everything of the container: ports, interfaces, namespace. Idempotent; errors collected.
    Result<void> release_container(const std::string& container_id);

    // Called after a network is created or removed, outside the manager's lock (the resolver
    // listens on the bridges' gateways). Set before any request is served.
    void on_networks_changed(std::function<void()> f) { networks_changed_ = std::move(f); }

    // Waits until the links removed so far are deleted in the kernel (link_reaper.hpp).
    void settle() { reaper_.drain(); }

    // Checks that the fixed host ports of `ports` are free (or held by `own` containers, which
    // are about to be replaced), without keeping them: `up` refuses before it makes anything.
    Result<void> check_ports_free(const std::vector<scheduler::PublishedPort>& ports,
                                  const std::set<std::string>& own);

  private:
    Result<NetworkRecord> create_locked(const network::NetworkSpec& spec,
                                        const std::string& project);
    Result<void> remove_unobserved(const NetworkRecord& n);  // remove() but for the observer
    Result<EndpointRecord> attach_locked(const std::string& container_id, const NetworkRecord& n,
                                         const scheduler::Attachment& attachment, int position,
                                         bool default_route);
    // `deferred`: the container's processes are gone, so its namespace goes with its links and
    // the host ends are left to the reaper.
    Result<void> detach_locked(const EndpointRecord& e, const NetworkRecord& n, bool deferred);
    Result<void> publish_locked(const std::string& container_id,
                                const std::vector<scheduler::PublishedPort>& ports);
    Result<void> release_locked(const std::string& container_id);
    Result<void> reattach_locked(const std::string& container_id,
                                 const std::vector<EndpointRecord>& endpoints);
    Result<void> make_bridge(const NetworkRecord& n);
    Result<void> rebuild_firewall_locked();
    Result<std::vector<network::Prefix>> host_reserved();

    StateDb& db_;
    NetworkManagerOptions options_;
    std::mutex mu_;
    // The bound sockets that hold each container's published ports.
    std::map<std::string, std::vector<network::PortReservation>> held_;
    // The port mappings of the rules last applied: a udp mapping that changes takes its
    // conntrack entries with it. Empty at start, so restore() clears every published udp port.
    std::vector<network::PortMapping> applied_ports_;
    std::function<void()> networks_changed_;
    LinkReaper reaper_;  // last: its destructor deletes what is queued while the rest still stands
};

// The planned subnets of a network (its `ipam` column), and the last address handed out in each.
struct NetworkIpam {
    std::vector<network::SubnetSpec> subnets;  // as planned: every field filled in
    std::map<std::string, std::string> last;   // subnet → last address handed out
};
NetworkIpam parse_ipam(const std::string& json_text);
std::string ipam_json(const NetworkIpam& ipam);
// The NetworkSpec a record was made from.
network::NetworkSpec parse_spec(const std::string& json_text);
std::string spec_json(const network::NetworkSpec& spec);

}  // namespace berth::daemon
