// Networks as a whole: creating and removing them (IPAM, the bridge, its sysctls), finding them,
// restoring the kernel side when berthd starts, and the firewall rebuilt from the state.
#include "network_manager.hpp"

#include <unistd.h>

#include <algorithm>

#include "container_ops.hpp"
#include "engine/container_state.hpp"
#include "event_bus.hpp"
#include "log.hpp"
#include "network/conntrack.hpp"
#include "network/firewall.hpp"
#include "network/host_reserved.hpp"
#include "network/mac.hpp"
#include "network/netlink.hpp"
#include "network/netns.hpp"
#include "network/nftables.hpp"
#include "network/sysctl.hpp"

namespace berth::daemon {

namespace {

std::vector<network::Prefix> subnets_of(const NetworkRecord& n) {
    std::vector<network::Prefix> out;
    for (const auto& s : parse_ipam(n.ipam).subnets) {
        if (auto p = network::parse_prefix(s.subnet)) out.push_back(*p);
    }
    return out;
}

// The pools of one family: daemon.json's, or Docker's local IPv4 pools; IPv6 subnets come from
// the unique-local range when no pool of that family is configured.
std::vector<network::AddressPool> pools_of(const std::vector<network::AddressPool>& all, bool v6) {
    std::vector<network::AddressPool> out;
    for (const auto& p : all) {
        if (p.base.base.v6 == v6) out.push_back(p);
    }
    if (!out.empty()) return out;
    if (!v6) return network::default_pools();
    auto ula = network::make_pool("fd00::/8", 64);
    if (ula) out.push_back(*ula);
    return out;
}

network::SubnetSpec planned(const network::Subnet& s, const network::SubnetSpec& given) {
    network::SubnetSpec out = given;
    out.subnet = network::to_string(s.subnet);
    out.gateway = network::to_string(s.gateway);
    return out;
}

// Makes and deletes at once a macvlan or ipvlan link on the network's parent, so a kernel without
// the driver, or a parent that cannot carry one, fails the network's creation instead of every
// container's that joins it later.
Result<void> probe_parent(network::Netlink& host, const network::NetworkSpec& spec) {
    const std::string probe = "bprobe" + new_container_id().substr(0, 9);
    auto made = spec.driver == network::Driver::Macvlan
                    ? host.add_macvlan(probe, spec.parent, spec.mode, -1, 0)
                    : host.add_ipvlan(probe, spec.parent, spec.mode, -1, 0);
    if (!made) {
        return made.error().context(std::string("the ") + network::to_string(spec.driver) +
                                    " driver cannot use parent " + spec.parent);
    }
    return host.delete_link(probe);
}

}  // namespace

NetworkManager::NetworkManager(StateDb& db, NetworkManagerOptions options)
    : db_(db), options_(std::move(options)) {}

std::string NetworkManager::netns_path(const std::string& container_id) const {
    return options_.netns_root + "/" + container_id;
}

Result<std::vector<network::Prefix>> NetworkManager::host_reserved() {
    auto nl = network::Netlink::open();
    if (!nl) return nl.error();
    auto routes = nl->onlink_routes();
    if (!routes) return routes.error();
    auto resolv = engine::read_text_file(options_.resolv_conf);
    std::vector<network::Address> servers;
    if (resolv) servers = network::resolv_nameservers(*resolv);
    return network::reserved_prefixes(*routes, servers);
}

// The subnets a new network gets: those given, checked against every other network, and a pool
// subnet for each family it needs and was not given.
static Result<std::vector<network::SubnetSpec>> plan_subnets(
    const network::NetworkSpec& spec, const std::vector<network::AddressPool>& pools,
    std::vector<network::Prefix> taken, const std::vector<network::Prefix>& reserved) {
    std::vector<network::SubnetSpec> out;
    bool have_v4 = false, have_v6 = false;
    for (const auto& given : spec.subnets) {
        auto plan = network::plan_subnet(given);
        if (!plan) return plan.error();
        for (const auto& t : taken) {
            if (network::overlaps(t, plan->subnet)) {
                return Error(
                    "invalid pool request: Pool overlaps with other one on this address "
                    "space (" +
                    network::to_string(plan->subnet) + " and " + network::to_string(t) + ")");
            }
        }
        (plan->subnet.base.v6 ? have_v6 : have_v4) = true;
        taken.push_back(plan->subnet);
        out.push_back(planned(*plan, given));
    }
    auto from_pool = [&](bool v6) -> Result<void> {
        auto p = network::next_subnet(pools_of(pools, v6), taken, reserved);
        if (!p) return p.error();
        taken.push_back(*p);
        out.push_back(planned(network::default_subnet(*p), {}));
        return {};
    };
    if (!have_v4) {
        if (auto r = from_pool(false); !r) return r.error();
    }
    if (spec.enable_ipv6 && !have_v6) {
        if (auto r = from_pool(true); !r) return r.error();
    }
    return out;
}

Result<NetworkRecord> NetworkManager::create(const network::NetworkSpec& spec,
                                             const std::string& project) {
    auto made = [&] {
        std::lock_guard lock(mu_);
        return create_locked(spec, project);
    }();
    if (made && networks_changed_) networks_changed_();
    return made;
}

Result<NetworkRecord> NetworkManager::create_locked(const network::NetworkSpec& spec,
                                                    const std::string& project) {
    auto all = db_.networks();
    if (!all) return all.error();
    for (const auto& n : *all) {
        if (n.name == spec.name) {
            return Error("network with name " + spec.name + " already exists");
        }
    }
    if (auto r = network::check_driver(spec); !r) return r.error();
    auto host = network::Netlink::open();
    if (!host) return host.error();
    if (spec.driver != network::Driver::Bridge) {
        if (!host->exists(spec.parent)) {
            return Error("parent link \"" + spec.parent + "\" does not exist");
        }
        if (auto r = probe_parent(*host, spec); !r) return r.error();
    }
    std::vector<network::Prefix> taken;
    for (const auto& n : *all) {
        auto s = subnets_of(n);
        taken.insert(taken.end(), s.begin(), s.end());
    }
    auto reserved = host_reserved();
    if (!reserved) return reserved.error().context("read the host's routes");
    auto subnets = plan_subnets(spec, options_.pools, taken, *reserved);
    if (!subnets) return subnets.error();

    NetworkRecord rec;
    rec.id = new_container_id();
    rec.name = spec.name;
    rec.driver = network::to_string(spec.driver);
    rec.project = project;
    rec.spec = spec_json(spec);
    rec.ipam = ipam_json(NetworkIpam{*subnets, {}});
    rec.created = now_nano();
    if (spec.driver == network::Driver::Bridge) {
        rec.link = spec.bridge_name.empty() ? "br-" + rec.id.substr(0, 12) : spec.bridge_name;
        if (reaper_.pending(rec.link)) reaper_.drain();  // a network of that name just went
        if (host->exists(rec.link)) {
            return Error("a link named " + rec.link + " already exists on the host");
        }
        if (auto r = make_bridge(rec); !r) {
            (void)host->delete_link(rec.link);
            return r.error();
        }
    }
    auto undo = [&](Error e) {
        if (!rec.link.empty()) {
            if (auto d = host->delete_link(rec.link); !d) {
                e = Error(e.message() + " (and removing " + rec.link +
                          " failed: " + d.error().message() + ")");
            }
        }
        (void)db_.remove_network(rec.id);
        return e;
    };
    if (auto r = db_.put_network(rec); !r) return undo(r.error());
    if (auto r = rebuild_firewall_locked(); !r) return undo(r.error());
    return rec;
}

Result<void> NetworkManager::make_bridge(const NetworkRecord& n) {
    const network::NetworkSpec spec = parse_spec(n.spec);
    auto nl = network::Netlink::open();
    if (!nl) return nl.error();
    const std::string what = "network " + n.name + ": bridge " + n.link;
    if (auto r = nl->add_bridge(n.link, spec.mtu); !r) return r.error().context(what);
    if (auto r = nl->set_mac(n.link, network::bridge_mac(n.id)); !r) return r.error().context(what);
    for (const auto& s : parse_ipam(n.ipam).subnets) {
        auto p = network::parse_prefix(s.subnet);
        auto gw = network::parse_address(s.gateway);
        if (!p || !gw) return Error(what + ": bad subnet " + s.subnet + " in the state");
        if (auto r = nl->add_address(n.link, *gw, p->length); !r) return r.error().context(what);
    }
    if (auto r = nl->set_up(n.link); !r) return r.error().context(what);
    // Published ports reached from 127.0.0.1 leave through the bridge with a loopback source
    // until postrouting masquerades them; the kernel drops such packets unless the bridge
    // allows them.
    if (auto r = network::set_sysctl(network::conf_key("ipv4", n.link, "route_localnet"), "1");
        !r) {
        return r.error().context(what);
    }
    if (!spec.internal) {
        if (auto r = network::set_sysctl("net/ipv4/ip_forward", "1"); !r) {
            return r.error().context(what);
        }
        if (spec.enable_ipv6) {
            if (auto r = network::set_sysctl("net/ipv6/conf/all/forwarding", "1"); !r) {
                return r.error().context(what);
            }
        }
    }
    return {};
}

Result<std::optional<NetworkRecord>> NetworkManager::find(const std::string& name_or_id) {
    auto all = list();
    if (!all) return all.error();
    std::optional<NetworkRecord> by_prefix;
    int prefixed = 0;
    for (const auto& n : *all) {
        if (n.name == name_or_id || n.id == name_or_id) return std::optional<NetworkRecord>(n);
        if (!name_or_id.empty() && n.id.rfind(name_or_id, 0) == 0) {
            by_prefix = n;
            ++prefixed;
        }
    }
    if (prefixed > 1) {
        return Error("network " + name_or_id + " is ambiguous (" + std::to_string(prefixed) +
                     " matches found based on ID prefix)");
    }
    return by_prefix;
}

Result<std::vector<NetworkRecord>> NetworkManager::list() {
    return db_.networks();
}

Result<void> NetworkManager::remove(const NetworkRecord& n) {
    auto removed = remove_unobserved(n);
    if (networks_changed_) networks_changed_();
    return removed;
}

Result<void> NetworkManager::remove_unobserved(const NetworkRecord& n) {
    std::lock_guard lock(mu_);
    auto eps = db_.endpoints("", n.id);
    if (!eps) return eps.error();
    if (!eps->empty()) {
        return Error("error while removing network: network " + n.name + " id " + n.id +
                     " has active endpoints");
    }
    std::vector<std::string> errors;
    if (auto r = db_.remove_network(n.id); !r) return r;
    if (auto r = rebuild_firewall_locked(); !r) errors.push_back(r.error().message());
    if (!n.link.empty()) {
        // Down at once, so its routes are gone before a new network may take its subnet; the
        // kernel's slow unregistering is the reaper's.
        auto nl = network::Netlink::open();
        if (!nl) {
            errors.push_back(nl.error().message());
        } else if (auto r = nl->set_down(n.link); !r && nl->exists(n.link)) {
            errors.push_back(r.error().message());
        }
        reaper_.add(n.link);
    }
    if (errors.empty()) return {};
    std::string msg = "remove network " + n.name + ":";
    for (const auto& e : errors) msg += " " + e + ";";
    msg.pop_back();
    return Error(msg);
}

Result<void> NetworkManager::rebuild_firewall_locked() {
    if (!options_.firewall) return {};
    auto nets = db_.networks();
    if (!nets) return nets.error();
    auto eps = db_.endpoints();
    if (!eps) return eps.error();
    auto ports = db_.ports();
    if (!ports) return ports.error();
    network::FirewallSpec spec;
    std::set<std::string> bridges;
    for (const auto& n : *nets) {
        if (n.link.empty()) continue;
        network::NetworkSpec ns = parse_spec(n.spec);
        spec.networks.push_back({n.link, subnets_of(n), ns.internal, ns.icc});
        bridges.insert(n.id);
    }
    // A published port goes to the container's first address on a bridge.
    std::map<std::string, network::Address> target;
    for (const auto& e : *eps) {
        if (!bridges.count(e.network_id) || e.ipv4.empty() || target.count(e.container_id))
            continue;
        if (auto a = network::parse_address(e.ipv4)) target[e.container_id] = *a;
    }
    for (const auto& p : *ports) {
        auto t = target.find(p.container_id);
        if (t == target.end()) continue;
        network::PortMapping m;
        m.protocol = p.protocol;
        if (!p.host_ip.empty()) m.host_ip = network::parse_address(p.host_ip);
        m.host_port = static_cast<std::uint16_t>(p.host_port);
        m.container_ip = t->second;
        m.container_port = static_cast<std::uint16_t>(p.container_port);
        spec.ports.push_back(m);
    }
    // With nothing to forward or publish the table goes, so a host berth no longer uses carries
    // none of its rules.
    if (spec.networks.empty() && spec.ports.empty()) {
        if (auto r = network::nft_remove_berth_table(); !r) return r.error().context("firewall");
    } else {
        auto script = network::render_ruleset(spec);
        if (!script) return script.error().context("firewall");
        if (auto r = network::nft_apply(*script); !r) return r.error().context("firewall");
    }
    // The rules are right now; a udp flow begun before would still follow its old NAT decision.
    auto stale = network::changed_udp_ports(applied_ports_, spec.ports);
    applied_ports_ = spec.ports;
    if (auto r = network::forget_udp_flows(stale); !r) log_warn(r.error().message());
    return {};
}

Result<void> NetworkManager::reattach_locked(const std::string& container_id,
                                             const std::vector<EndpointRecord>& endpoints) {
    auto nets = db_.networks();
    if (!nets) return nets.error();
    if (auto r = network::create_netns(netns_path(container_id)); !r) return r;
    bool routed = false;
    for (const auto& e : endpoints) {
        (void)db_.remove_endpoint(e.container_id, e.network_id);
        auto n = std::find_if(nets->begin(), nets->end(),
                              [&](const NetworkRecord& x) { return x.id == e.network_id; });
        if (n == nets->end()) continue;
        scheduler::Attachment a;
        a.aliases = e.aliases;
        a.ipv4_address = e.ipv4;
        a.ipv6_address = e.ipv6;
        a.interface_name = e.ifname;
        a.mac_address = e.mac;
        const bool route = !routed && !parse_spec(n->spec).internal;
        auto made = attach_locked(container_id, *n, a, e.position, route);
        if (!made) return made.error().context("container " + container_id.substr(0, 12));
        routed = routed || route;
    }
    return {};
}

Result<void> NetworkManager::restore(const std::set<std::string>& live) {
    std::lock_guard lock(mu_);
    std::vector<std::string> errors;
    auto note = [&](const Result<void>& r) {
        if (!r) errors.push_back(r.error().message());
    };
    auto nets = db_.networks();
    if (!nets) return nets.error();
    auto nl = network::Netlink::open();
    if (!nl) return nl.error();
    std::vector<NetworkRecord> remade;
    for (const auto& n : *nets) {
        if (n.link.empty() || nl->exists(n.link)) continue;
        auto made = make_bridge(n);
        note(made);
        if (made) remade.push_back(n);
    }
    // Containers removed while berthd was down (or mid-removal) leave rows behind.
    std::set<std::string> gone;
    if (auto eps = db_.endpoints()) {
        for (const auto& e : *eps) {
            if (!live.count(e.container_id)) gone.insert(e.container_id);
        }
    }
    if (auto ports = db_.ports()) {
        for (const auto& p : *ports) {
            if (!live.count(p.container_id)) gone.insert(p.container_id);
        }
    }
    for (const auto& id : gone) note(release_locked(id));
    // Deleting a bridge leaves the host ends of its veth pairs behind, detached: the bridge made
    // again takes them back, or its containers stay cut off.
    for (const auto& n : remade) {
        auto eps = db_.endpoints("", n.id);
        if (!eps) {
            errors.push_back(eps.error().message());
            continue;
        }
        for (const auto& e : *eps) {
            if (e.host_link.empty() || !nl->exists(e.host_link)) continue;
            const std::string what = "network " + n.name + ": reattach " + e.host_link;
            auto r = nl->set_master(e.host_link, n.link);
            if (r) r = nl->set_up(e.host_link);
            if (!r) errors.push_back(r.error().context(what).message());
        }
    }
    // A reboot empties the run root: containers that outlived it get their namespaces again,
    // with the addresses and interfaces they had.
    if (auto eps = db_.endpoints()) {
        std::map<std::string, std::vector<EndpointRecord>> by_container;
        for (const auto& e : *eps) by_container[e.container_id].push_back(e);
        for (const auto& [id, list] : by_container) {
            if (::access(netns_path(id).c_str(), F_OK) != 0) note(reattach_locked(id, list));
        }
    }
    // Sockets held from before are let go first, so that restore can run again.
    held_.clear();
    if (auto ports = db_.ports()) {
        std::map<std::string, std::vector<PortRecord>> by_container;
        for (const auto& p : *ports) by_container[p.container_id].push_back(p);
        for (const auto& [id, list] : by_container) {
            for (const auto& p : list) {
                if (p.protocol == "sctp") continue;
                network::PortRequest req;
                req.protocol = p.protocol;
                if (!p.host_ip.empty()) req.host_ip = network::parse_address(p.host_ip);
                req.port = static_cast<std::uint16_t>(p.host_port);
                auto held = network::reserve_port(req);
                if (!held) {
                    errors.push_back("container " + id + ": " + held.error().message());
                    continue;
                }
                held_[id].push_back(std::move(*held));
            }
        }
    } else {
        errors.push_back(ports.error().message());
    }
    note(rebuild_firewall_locked());
    if (errors.empty()) return {};
    std::string msg = "restore networks:";
    for (const auto& e : errors) msg += " " + e + ";";
    msg.pop_back();
    return Error(msg);
}

}  // namespace berth::daemon
