#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "network/conntrack.hpp"

namespace berth::network {

namespace {

// Where one UDP host port's packets go; a port may be published on several host addresses.
using Target = std::tuple<std::string, std::string, std::uint16_t>;  // host ip, container ip, port

std::map<std::uint16_t, std::set<Target>> udp_targets(const std::vector<PortMapping>& ports) {
    std::map<std::uint16_t, std::set<Target>> out;
    for (const auto& p : ports) {
        if (p.protocol != "udp") continue;
        out[p.host_port].insert({p.host_ip ? to_string(*p.host_ip) : std::string(),
                                 to_string(p.container_ip), p.container_port});
    }
    return out;
}

}  // namespace

std::vector<std::uint16_t> changed_udp_ports(const std::vector<PortMapping>& before,
                                             const std::vector<PortMapping>& after) {
    const auto old = udp_targets(before);
    const auto now = udp_targets(after);
    std::set<std::uint16_t> changed;
    for (const auto& [port, targets] : old) {
        auto it = now.find(port);
        if (it == now.end() || it->second != targets) changed.insert(port);
    }
    for (const auto& [port, targets] : now) {
        if (!old.count(port)) changed.insert(port);
    }
    return {changed.begin(), changed.end()};
}

}  // namespace berth::network
