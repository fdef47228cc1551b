// IPAM: the subnet a new network gets, and the address each container gets in it. Pure: callers
// pass what is taken (from berthd's state) and what the host reserves (its on-link routes and
// nameservers, which a new subnet must not shadow), and persist what comes back.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "network/address.hpp"

namespace berth::network {

// One of daemon.json's default-address-pools: `base` carved into subnets of prefix `size`.
struct AddressPool {
    Prefix base;
    int size = 0;
};

// Docker's local pools: 172.17, 172.18 and 172.19.0.0/16, 172.20.0.0/14, 172.24.0.0/14 and
// 172.28.0.0/14 as /16s, then 192.168.0.0/16 as /20s.
const std::vector<AddressPool>& default_pools();

// Checks a pool as daemon.json gives it ("size" no shorter than the base's prefix, and no longer
// than the family allows).
Result<AddressPool> make_pool(const std::string& base, int size);

// The first subnet carved from the pools, in their order, that overlaps neither `taken` (other
// networks' subnets) nor `reserved`; Docker's error when none is left.
Result<Prefix> next_subnet(const std::vector<AddressPool>& pools, const std::vector<Prefix>& taken,
                           const std::vector<Prefix>& reserved);

// A subnet as compose's `ipam.config` entry gives it.
struct SubnetSpec {
    std::string subnet;
    std::string ip_range;  // "" = the whole subnet
    std::string gateway;   // "" = the first host address
    std::map<std::string, std::string> aux_addresses;
};

struct Subnet {
    Prefix subnet;
    Prefix range;  // where dynamic addresses come from
    Address gateway;
    std::vector<Address> reserved;  // the gateway and the aux addresses: never handed out
};

// Validates the spec: ip_range, gateway and aux addresses inside the subnet, one family.
Result<Subnet> plan_subnet(const SubnetSpec& spec);
// A pool subnet with the default gateway.
Subnet default_subnet(const Prefix& p);

// The next free address after `last` (serially, wrapping once), so that an address just freed is
// not handed out again at once. Never the subnet's own address, its IPv4 broadcast, a reserved
// address or one in use.
Result<Address> allocate(const Subnet& s, const std::set<Address>& in_use,
                         const std::optional<Address>& last);

// A static address (ipv4_address, ipv6_address): inside the subnet, not the subnet's own or
// broadcast address, not reserved, not in use.
Result<void> check_static(const Subnet& s, const Address& a, const std::set<Address>& in_use);

}  // namespace berth::network
