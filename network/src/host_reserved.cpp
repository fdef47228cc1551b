#include "network/host_reserved.hpp"

#include <algorithm>
#include <sstream>

namespace berth::network {

namespace {

bool is_loopback(const Address& a) {
    if (!a.v6) return a.bytes[0] == 127;
    Address one{true, {}};
    one.bytes[15] = 1;
    return a == one;
}

}  // namespace

std::vector<Address> resolv_nameservers(const std::string& resolv_conf_text) {
    std::vector<Address> out;
    std::istringstream lines(resolv_conf_text);
    std::string line;
    while (std::getline(lines, line)) {
        line = line.substr(0, line.find_first_of("#;"));
        std::istringstream fields(line);
        std::string keyword, value;
        if (!(fields >> keyword >> value) || keyword != "nameserver") continue;
        auto address = parse_address(value.substr(0, value.find('%')));
        if (address) out.push_back(*address);
    }
    return out;
}

std::vector<Prefix> reserved_prefixes(const std::vector<Prefix>& onlink_routes,
                                      const std::vector<Address>& nameservers) {
    std::vector<Prefix> out;
    auto add = [&](const Prefix& p) {
        if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
    };
    for (const auto& route : onlink_routes) add(route);
    for (const auto& ns : nameservers) {
        if (!is_loopback(ns)) add(Prefix{ns, ns.bits()});
    }
    return out;
}

}  // namespace berth::network
