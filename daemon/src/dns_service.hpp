// berthd's embedded resolver: one dns::DnsServer with a listener on the gateway of every bridge
// network, answering from a snapshot of berth's own state. The snapshot is rebuilt from a cache
// of every container's names and addresses; an event reloads only its container, then the
// whole (small, in-memory) snapshot is built again and swapped in before the event's caller
// goes on, so the next query sees the change.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.hpp"
#include "dns/record_store.hpp"
#include "dns/records.hpp"
#include "dns/server.hpp"
#include "upstream_servers.hpp"

namespace berth::daemon {

struct DaemonContext;

struct DnsServiceOptions {
    std::uint16_t port = 53;
    std::string resolv_conf = "/etc/resolv.conf";  // the host's: the upstreams of last resort
    std::vector<std::string> default_servers;      // daemon.json's `dns`, before the host's
};

// One name of a network's table, for `berth dns`.
struct DnsName {
    std::string name;
    std::vector<std::string> addresses;
};

class DnsService {
  public:
    DnsService(DaemonContext& ctx, DnsServiceOptions options);
    ~DnsService();
    DnsService(const DnsService&) = delete;
    DnsService& operator=(const DnsService&) = delete;

    // Loads every network and container and listens on the bridge gateways. A listener that
    // cannot be made is logged: its network then has no resolver, and nothing else fails.
    void start();
    void stop();

    // The container is about to start: it answers as running from now on.
    void starting(const std::string& id);
    // Reloads one container (gone ones are dropped) and swaps in the new snapshot.
    void container_changed(const std::string& id);
    // Reloads the networks: listeners for new bridges, none for removed ones.
    void networks_changed();

    // What the network's resolver answers, name by name, as its containers would see it.
    Result<std::vector<DnsName>> names(const std::string& network_id);
    std::string listen_address(const std::string& network_id);

  private:
    struct Listening {
        std::string network_id;
        bool internal = false;
    };

    // `starting`: counted as running until its next change.
    void reload(const std::string& id, bool starting);
    void load_container_locked(const std::string& id);
    void load_networks_locked();
    void sync_listeners_locked();
    void publish_locked();
    std::vector<dns::Upstream> upstreams_for(const dns::Address& source);

    DaemonContext& ctx_;
    DnsServiceOptions options_;
    std::mutex mu_;
    bool started_ = false;
    std::map<std::string, dns::ContainerRecord> containers_;
    std::map<std::string, std::vector<dns::Upstream>> container_servers_;  // their `dns:`
    std::set<std::string> starting_;
    std::vector<dns::NetworkRecord> networks_;
    std::map<std::string, std::vector<dns::Address>> gateways_;  // network id → its gateways
    std::map<dns::Address, Listening> listening_;
    dns::RecordStore store_;
    // source address → the `dns:` servers of the container that has it; swapped whole.
    using ServerMap =
        std::unordered_map<dns::Address, std::vector<dns::Upstream>, dns::AddressHash>;
    std::atomic<std::shared_ptr<const ServerMap>> by_source_;
    UpstreamServers fallback_;
    std::unique_ptr<dns::DnsServer> server_;
};

}  // namespace berth::daemon
