// The embedded resolver's server: UDP and TCP listeners on the bridge networks' gateway addresses,
// answering containers from a RecordStore and forwarding what is not ours to upstream servers.
// One I/O thread of its own; Asio stays inside its .cpp files. Behaviour: docs/dns.md, "Server".
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "network/address.hpp"

namespace berth::dns {

class RecordStore;

struct Upstream {
    network::Address address;
    std::uint16_t port = 53;

    auto operator<=>(const Upstream&) const = default;
};

// The upstream servers for a query from `source`: the container's `dns:` servers, else the host's
// resolv.conf ones. Called on the server's thread, so it must not block.
using UpstreamsFor = std::function<std::vector<Upstream>(const network::Address& source)>;

struct ListenerOptions {
    bool internal = false;  // an internal network: nothing is forwarded (SERVFAIL)
    std::string network_id;
};

struct ServerOptions {
    std::uint32_t ttl = 0;  // of our own answers: containers change address on every recreate
    std::chrono::milliseconds upstream_timeout{2000};  // per upstream server, then the next
    std::chrono::milliseconds tcp_idle{3000};
    std::size_t max_tcp_connections = 256;  // past it new connections are closed at once
    std::size_t max_forwards = 1024;        // upstream queries in flight; past it REFUSED
    std::size_t cache_entries = 4096;       // forwarded answers kept
    std::uint32_t cache_max_ttl = 3600;     // seconds; longer TTLs are cut to this
};

// Counters since construction, for tests and debugging.
struct ServerStats {
    std::uint64_t queries = 0;    // parsed queries, UDP and TCP
    std::uint64_t forwarded = 0;  // queries that needed an upstream (cache hits included)
    std::uint64_t cache_hits = 0;
    std::uint64_t upstream_sends = 0;   // datagrams sent upstream (one per server tried)
    std::uint64_t forward_refused = 0;  // refused because max_forwards were in flight
    std::uint64_t tcp_rejected = 0;     // connections closed at once, past max_tcp_connections
};

class DnsServer {
  public:
    // `store` must outlive the server. Starts the I/O thread.
    DnsServer(const RecordStore& store, UpstreamsFor upstreams, ServerOptions options = {});
    ~DnsServer();  // stop()
    DnsServer(const DnsServer&) = delete;
    DnsServer& operator=(const DnsServer&) = delete;

    // Binds UDP and TCP on ip:port with IP_FREEBIND, so a gateway address that is not configured
    // yet can be bound. Port 0 picks a free port, the same for both. Returns the port bound. An
    // address already listened on is an error. Must not be called from an UpstreamsFor callback.
    Result<std::uint16_t> add_listener(const network::Address& ip, std::uint16_t port,
                                       ListenerOptions options);
    // Closes the listener's sockets and its TCP connections. Unknown address: an error.
    Result<void> remove_listener(const network::Address& ip);

    // Closes everything and joins the I/O thread; idempotent.
    void stop();

    ServerStats stats() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace berth::dns
