// What a network is, as network/ takes it: plain values that scheduler/ derives from a compose
// file (network/ knows nothing of compose), and that berthd keeps in its state.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "network/ipam.hpp"

namespace berth::network {

enum class Driver { Bridge, Macvlan, Ipvlan };
const char* to_string(Driver d);  // bridge, macvlan, ipvlan

struct NetworkSpec {
    std::string key;   // the name in the compose file ("default", "front")
    std::string name;  // on the host and in berth's state: <project>_<key>, or `name:`
    Driver driver = Driver::Bridge;
    bool external = false;  // must exist already; berth neither makes nor removes it
    bool internal = false;
    bool enable_ipv6 = false;
    std::vector<SubnetSpec> subnets;  // ipam.config; empty = from the pools
    // driver_opts that berth reads; the rest are kept in `options` as given.
    std::string bridge_name;  // com.docker.network.bridge.name ("" = br-<12 hex of the id>)
    bool icc = true;          // com.docker.network.bridge.enable_icc
    int mtu = 0;              // com.docker.network.driver.mtu (0 = the default route's)
    std::string parent;       // macvlan and ipvlan: the host link
    std::string mode;         // macvlan_mode (bridge), ipvlan_mode (l2, l3)
    std::map<std::string, std::string> options;
    std::map<std::string, std::string> labels;
};

// The driver options berth reads, as Docker spells them: com.docker.network.bridge.name (1 to 15
// characters), com.docker.network.bridge.enable_icc (a Go boolean),
// com.docker.network.driver.mtu (68 to 65535), parent, macvlan_mode and ipvlan_mode. Every
// option, read or not, is kept in `options` as given. Errors name the option.
Result<void> apply_driver_options(NetworkSpec& s, const std::map<std::string, std::string>& opts);

// What the driver needs: macvlan and ipvlan sit on a parent link.
Result<void> check_driver(const NetworkSpec& s);

// "bridge", "macvlan", "ipvlan"; anything else is refused naming it.
Result<Driver> parse_driver(const std::string& name);

}  // namespace berth::network
