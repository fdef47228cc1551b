// Stale conntrack entries of published UDP ports. A UDP "connection" lives in conntrack for as long
// as its packets keep coming, and it keeps the NAT decision of its first packet: a client that
// keeps sending from one source port still reaches the container that was behind the port at
// first (gone since, or replaced with another address), or the host itself when the port was
// published after its first packet. Docker and netavark delete those entries whenever a UDP
// mapping changes; so does berth.
#pragma once

#include <cstdint>
#include <vector>

#include "common/result.hpp"
#include "network/firewall.hpp"

namespace berth::network {

// The UDP host ports whose mapping differs between two rule sets: added, removed, or sent
// elsewhere (another host address, container address or port). Sorted, each once. Pure.
std::vector<std::uint16_t> changed_udp_ports(const std::vector<PortMapping>& before,
                                             const std::vector<PortMapping>& after);

// Deletes, in the caller's network namespace, every UDP conntrack entry (IPv4 and IPv6) whose
// original destination port is one of `ports`; returns how many went. An entry that expired
// meanwhile is no error.
Result<int> forget_udp_flows(const std::vector<std::uint16_t>& ports);

}  // namespace berth::network
