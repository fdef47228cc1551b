#include "scheduler/network_checks.hpp"

#include <map>
#include <utility>

#include "network/address.hpp"

namespace berth::scheduler {

namespace {

// The configured subnets of one network, parsed (network_specs has checked them).
std::vector<network::Prefix> subnets_of(const network::NetworkSpec& spec) {
    std::vector<network::Prefix> out;
    for (const auto& s : spec.subnets) {
        if (auto p = network::parse_prefix(s.subnet)) out.push_back(*p);
    }
    return out;
}

Result<void> check_overlaps(const std::vector<network::NetworkSpec>& specs) {
    std::vector<std::pair<std::string, network::Prefix>> seen;
    for (const auto& spec : specs) {
        if (spec.external) continue;
        for (const auto& p : subnets_of(spec)) {
            for (const auto& [name, q] : seen) {
                if (!network::overlaps(p, q)) continue;
                return Error("network " + spec.name +
                             ": invalid pool request: Pool overlaps with other one on this "
                             "address space (" +
                             network::to_string(p) + " and " + network::to_string(q) +
                             ", network " + name + ")");
            }
            seen.emplace_back(spec.name, p);
        }
    }
    return {};
}

Result<void> check_address(const network::NetworkSpec& spec, const std::string& text) {
    auto a = network::parse_address(text);
    if (!a) return Error("\"" + text + "\" is not an IP address");
    std::string family_subnets;
    for (const auto& p : subnets_of(spec)) {
        if (p.base.v6 != a->v6) continue;
        if (network::contains(p, *a)) return {};
        family_subnets += (family_subnets.empty() ? "" : ", ") + network::to_string(p);
    }
    if (family_subnets.empty()) {
        return Error(
            "user specified IP address is supported only when connecting to networks with user "
            "configured subnets");
    }
    return Error("address " + text + " is not in subnet " + family_subnets);
}

Result<void> check_port_families(const ServiceNetworks& svc,
                                 const std::map<std::string, const network::NetworkSpec*>& by_key) {
    if (svc.attachments.empty()) return {};
    auto it = by_key.find(svc.attachments.front().network);
    if (it == by_key.end() || it->second->external || it->second->enable_ipv6) return {};
    for (const auto& p : svc.ports) {
        auto a = network::parse_address(p.host_ip);
        if (!a || !a->v6) continue;
        return Error("service \"" + svc.service + "\": published port " +
                     std::to_string(p.host_from) + " on " + p.host_ip +
                     ": an IPv6 host address needs enable_ipv6 on network " + it->second->name);
    }
    return {};
}

}  // namespace

Result<void> check_project_networks(const std::vector<network::NetworkSpec>& specs,
                                    const std::vector<ServiceNetworks>& services) {
    if (auto r = check_overlaps(specs); !r) return r;
    std::map<std::string, const network::NetworkSpec*> by_key;
    for (const auto& s : specs) by_key[s.key] = &s;
    std::map<std::pair<std::string, std::string>, std::string> taken;  // (network, address)
    for (const auto& svc : services) {
        if (svc.replicas <= 0) continue;  // scaled to zero: no container takes anything
        if (auto r = check_port_families(svc, by_key); !r) return r;
        for (const auto& a : svc.attachments) {
            auto it = by_key.find(a.network);
            if (it == by_key.end() || it->second->external) continue;
            const network::NetworkSpec& spec = *it->second;
            for (const auto* text : {&a.ipv4_address, &a.ipv6_address}) {
                if (text->empty()) continue;
                const std::string where = "service \"" + svc.service + "\": network " + spec.name;
                if (auto r = check_address(spec, *text); !r) return r.error().context(where);
                if (svc.replicas > 1) {
                    return Error(where + ": address " + *text + " is given to " +
                                 std::to_string(svc.replicas) + " replicas");
                }
                auto [prev, fresh] = taken.emplace(std::pair{spec.name, *text}, svc.service);
                if (!fresh) {
                    return Error(where + ": address " + *text +
                                 " is already in use (by service \"" + prev->second + "\")");
                }
            }
        }
    }
    return {};
}

}  // namespace berth::scheduler
