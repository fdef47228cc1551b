// Ethernet (MAC) addresses for container interfaces: random ones, ones derived from an IPv4
// address as Docker derives them, and a strict parser for compose's `mac_address`. Pure but for
// random_mac's getrandom.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "network/address.hpp"

namespace berth::network {

// A random locally administered unicast address (first octet: bit 1 set, bit 0 clear), in
// lower-case ':' form, from getrandom.
std::string random_mac();

// Six hex pairs separated by ':' or '-' (one separator throughout), in either case →
// "02:42:ac:11:00:02". Refused: anything else, a multicast (or broadcast) address, which no
// interface may carry, and the all-zero address, which the kernel refuses. The caller words the
// error, since it knows where the text came from.
std::optional<std::string> parse_mac(std::string_view text);

// 02:42 followed by the four bytes of an IPv4 address (Docker's historical rule), so that an
// endpoint without `mac_address` keeps its MAC across restarts. For IPv4 addresses only; an IPv6
// address yields its first four bytes the same way.
std::string mac_from_ipv4(const Address& a);

// A bridge's own address, fixed from its network's hex id (02 and the id's first five bytes).
// Without one the kernel gives a bridge the lowest MAC among its ports, so removing a container
// can change the gateway's MAC under every other container's ARP cache, and their packets to
// the gateway (DNS, traffic leaving the network) go nowhere until the entry expires.
std::string bridge_mac(std::string_view network_id);

}  // namespace berth::network
