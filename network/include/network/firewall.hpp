// The nftables rules of berth's networks, rendered as one nft script that replaces berth's own
// table (`table inet berth`) in a single atomic batch. Nothing else in the host's ruleset is
// touched. Pure: the script is applied by the firewall's I/O part (libnftables).
//
// The layout follows netavark's: published ports are DNAT'ed for local destinations in
// prerouting and output and marked, so that forward lets them through and postrouting
// masquerades the hairpin and localhost cases; traffic leaving a non-internal network is
// masqueraded; berth's networks cannot reach one another; internal networks reach nothing
// outside themselves; and a container address is not reachable from another interface directly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "network/address.hpp"

namespace berth::network {

struct FirewallNetwork {
    std::string bridge;  // its Linux bridge, at most 15 characters
    std::vector<Prefix> subnets;
    bool internal = false;  // no route out: nothing is forwarded to or from other interfaces
    bool icc = true;        // com.docker.network.bridge.enable_icc
};

struct PortMapping {
    std::string protocol = "tcp";    // tcp, udp or sctp
    std::optional<Address> host_ip;  // the host address it listens on; all when unset
    std::uint16_t host_port = 0;
    Address container_ip;
    std::uint16_t container_port = 0;
};

struct FirewallSpec {
    std::vector<FirewallNetwork> networks;
    std::vector<PortMapping> ports;
};

// The marks berth's rules use: published traffic (conntrack mark) and traffic to masquerade
// (packet mark), as netavark spells them.
inline constexpr std::uint32_t kDnatMark = 0x1000;
inline constexpr std::uint32_t kMasqueradeMark = 0x2000;

// The whole script: create-if-missing, delete, and recreate `table inet berth`, so applying it
// is idempotent and atomic. Names and protocols are checked, since they end up in the script.
Result<std::string> render_ruleset(const FirewallSpec& spec);

}  // namespace berth::network
