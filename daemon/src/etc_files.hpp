// The text of a container's /etc/hosts, /etc/hostname and /etc/resolv.conf, which the engine
// bind-mounts from its state folder. Pure: the host's files come in as text.
#pragma once

#include <string>

#include "compose/node.hpp"

namespace berth::daemon {

struct EtcFiles {
    std::string hosts, hostname, resolv_conf;
};

struct HostEtc {
    std::string hosts;        // the host's /etc/hosts
    std::string resolv_conf;  // the host's /etc/resolv.conf
};

// As Docker: with the host's network the host's hosts file, else the loopback names; then
// extra_hosts ("IP<TAB>name"). resolv.conf from dns, dns_search and dns_opt when the service
// sets any, else the host's, without loopback nameservers when the container has its own network
// namespace (they would be its own loopback, where nothing answers).
EtcFiles etc_files(const compose::Node& service, const std::string& hostname, bool host_network,
                   const HostEtc& host);

}  // namespace berth::daemon
