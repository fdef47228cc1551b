// Kernel parameters under /proc/sys (ip_forward, route_localnet, arp_notify, accept_dad, ...),
// written only when they differ: a read-only /proc, as in some sandboxes, is then no error when
// the value is already right (netavark's rule).
#pragma once

#include <string>

#include "common/result.hpp"

namespace berth::network {

// "net.ipv4.conf.br-x.route_localnet" → "<root>/net/ipv4/conf/br-x/route_localnet". Interface
// names hold dots, so the caller names the key as path components joined by '/', or by '.' when
// none of them holds one; a component that is empty, "." or ".." is refused.
Result<std::string> sysctl_path(const std::string& key, const std::string& root = "/proc/sys");

// Sets key to value unless it already is; true when it wrote.
Result<bool> set_sysctl(const std::string& key, const std::string& value,
                        const std::string& root = "/proc/sys");

// The per-interface key, built with '/' so the interface name's dots stay whole:
// conf_key("ipv4", "br-x", "route_localnet") = "net/ipv4/conf/br-x/route_localnet".
std::string conf_key(const std::string& family, const std::string& ifname, const std::string& name);

}  // namespace berth::network
