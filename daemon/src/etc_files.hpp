// The text of a container's /etc/hosts, /etc/hostname and /etc/resolv.conf, which the engine
// bind-mounts from its state folder. Pure: the host's files come in as text.
#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"
#include "compose/node.hpp"

namespace berth::daemon {

struct EtcFiles {
    std::string hosts, hostname, resolv_conf;
};

struct HostEtc {
    std::string hosts;        // the host's /etc/hosts
    std::string resolv_conf;  // the host's /etc/resolv.conf
};

// What the container's networks give its files.
struct EtcNetwork {
    // berth's resolvers it reaches: the gateways of its bridge networks, in interface order.
    // Empty for host, none, a shared namespace, or macvlan alone.
    std::vector<std::string> resolvers;
    std::string own_hosts;     // "IP<TAB>hostname" lines for its own addresses
    std::string host_gateway;  // what extra_hosts' "host-gateway" stands for; "" = nothing
};

// As Docker: with the host's network the host's hosts file, else the loopback names; then the
// container's own addresses and extra_hosts ("IP<TAB>name"), where "host-gateway" is the
// gateway of its first bridge network (127.0.0.1 on the host's network).
//
// resolv.conf: with berth's resolvers, those as nameservers (the service's `dns:` servers become
// their upstreams), `search` and `options` from dns_search and dns_opt, else the host's, and
// ndots:0 unless an ndots is given, so a service name is asked as it is before any search
// domain. Without them, as Docker without its embedded resolver: dns, dns_search and dns_opt
// when the service sets any, else the host's file, without loopback nameservers when the
// container has its own network namespace (they would be its own loopback).
Result<EtcFiles> etc_files(const compose::Node& service, const std::string& hostname,
                           bool host_network, const HostEtc& host, const EtcNetwork& net = {});

// The service's `dns:` servers.
std::vector<std::string> dns_servers(const compose::Node& service);

// `resolv_conf` with its nameserver lines replaced by `resolvers` (first, in order) and every
// other line kept: how a connect or disconnect updates a file berth wrote.
std::string with_nameservers(const std::string& resolv_conf,
                             const std::vector<std::string>& resolvers);

}  // namespace berth::daemon
