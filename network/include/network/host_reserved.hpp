// What the host already uses, so IPAM never picks a subnet that would shadow it: its on-link
// routes and its nameservers (Docker's InferReservedNetworks). Pure: the routes come from
// Netlink::onlink_routes and the text from /etc/resolv.conf.
#pragma once

#include <string>
#include <vector>

#include "network/address.hpp"

namespace berth::network {

// The addresses of resolv.conf's `nameserver` lines, in order. Comments ('#' or ';' first on a
// line, or after the address) are ignored, as are addresses that do not parse; an IPv6 zone
// ("fe80::1%eth0") is dropped from the address.
std::vector<Address> resolv_nameservers(const std::string& resolv_conf_text);

// The routes, then each nameserver as a /32 or /128, without duplicates. Loopback nameservers
// (127.0.0.53 of systemd-resolved, ::1) are left out: no bridge subnet can collide with them.
std::vector<Prefix> reserved_prefixes(const std::vector<Prefix>& onlink_routes,
                                      const std::vector<Address>& nameservers);

}  // namespace berth::network
