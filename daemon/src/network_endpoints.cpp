// A container's side of networking: its pinned namespace, an interface per network with the
// addresses IPAM hands out, and its published ports, each reserved by a bound socket.
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include "container_ops.hpp"
#include "network/mac.hpp"
#include "network/netlink.hpp"
#include "network/netns.hpp"
#include "network/sysctl.hpp"
#include "network_manager.hpp"

namespace berth::daemon {

namespace {

// Errors of a teardown, joined so that none is lost.
struct Errors {
    std::vector<std::string> list;
    void add(const Result<void>& r) {
        if (!r) list.push_back(r.error().message());
    }
    Result<void> result(const std::string& what) const {
        if (list.empty()) return {};
        std::string msg = what + ":";
        for (const auto& e : list) msg += " " + e + ";";
        msg.pop_back();
        return Error(msg);
    }
};

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

// The addresses already taken on a network.
std::set<network::Address> in_use(const std::vector<EndpointRecord>& eps) {
    std::set<network::Address> out;
    for (const auto& e : eps) {
        for (const auto* text : {&e.ipv4, &e.ipv6}) {
            if (auto a = network::parse_address(*text)) out.insert(*a);
        }
    }
    return out;
}

struct Allocated {
    std::optional<network::Address> address;
    int prefix = 0;
    network::Address gateway;
};

// One address of the subnet: the static one asked for, or the next one after the last.
Result<Allocated> allocate_in(network::SubnetSpec& given, NetworkIpam& ipam,
                              const std::set<network::Address>& taken, const std::string& wanted) {
    auto plan = network::plan_subnet(given);
    if (!plan) return plan.error();
    Allocated out{std::nullopt, plan->subnet.length, plan->gateway};
    if (!wanted.empty()) {
        auto a = network::parse_address(wanted);
        if (!a) return Error("invalid IP address \"" + wanted + "\"");
        if (auto ok = network::check_static(*plan, *a, taken); !ok) return ok.error();
        out.address = *a;
        return out;
    }
    std::optional<network::Address> last;
    if (auto it = ipam.last.find(given.subnet); it != ipam.last.end()) {
        last = network::parse_address(it->second);
    }
    auto a = network::allocate(*plan, taken, last);
    if (!a) return a.error();
    ipam.last[given.subnet] = network::to_string(*a);
    out.address = *a;
    return out;
}

std::string veth_name() {
    return "veth" + new_container_id().substr(0, 7);
}

}  // namespace

Result<EndpointRecord> NetworkManager::attach_locked(const std::string& container_id,
                                                     const NetworkRecord& n,
                                                     const scheduler::Attachment& a, int position,
                                                     bool default_route) {
    const network::NetworkSpec spec = parse_spec(n.spec);
    auto eps = db_.endpoints("", n.id);
    if (!eps) return eps.error();
    for (const auto& e : *eps) {
        if (e.container_id == container_id) {
            return Error("endpoint with name " + container_id.substr(0, 12) +
                         " already exists in network " + n.name);
        }
    }
    const std::set<network::Address> taken = in_use(*eps);
    NetworkIpam ipam = parse_ipam(n.ipam);
    EndpointRecord ep;
    ep.container_id = container_id;
    ep.network_id = n.id;
    ep.position = position;
    ep.aliases = a.aliases;
    ep.ifname = a.interface_name.empty() ? "eth" + std::to_string(position) : a.interface_name;
    std::vector<Allocated> addrs;
    bool have_v4 = false, have_v6 = false;
    for (auto& sub : ipam.subnets) {
        auto p = network::parse_prefix(sub.subnet);
        if (!p || (p->base.v6 ? have_v6 : have_v4)) continue;
        auto got = allocate_in(sub, ipam, taken, p->base.v6 ? a.ipv6_address : a.ipv4_address);
        if (!got) return got.error().context("network " + n.name);
        (p->base.v6 ? have_v6 : have_v4) = true;
        (p->base.v6 ? ep.ipv6 : ep.ipv4) = network::to_string(*got->address);
        addrs.push_back(*got);
    }
    if (!a.mac_address.empty()) {
        auto mac = network::parse_mac(a.mac_address);
        if (!mac) return Error("invalid MAC address \"" + a.mac_address + "\"");
        ep.mac = *mac;
    } else if (!ep.ipv4.empty()) {
        ep.mac = network::mac_from_ipv4(*network::parse_address(ep.ipv4));
    } else {
        ep.mac = network::random_mac();
    }

    const std::string path = netns_path(container_id);
    Fd ns{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (ns.fd < 0) return errno_error("open the network namespace " + path, errno);
    auto host = network::Netlink::open();
    if (!host) return host.error();
    const std::string what = "network " + n.name + ": " + ep.ifname;
    Result<void> made;
    if (spec.driver == network::Driver::Bridge) {
        ep.host_link = veth_name();
        made = host->add_veth(ep.host_link, ep.ifname, ns.fd, spec.mtu);
        if (made) made = host->set_master(ep.host_link, n.link);
        // A container reaching its own published port is DNAT'ed back through this port.
        if (made) made = host->set_hairpin(ep.host_link, true);
        if (made) made = host->set_up(ep.host_link);
    } else if (spec.driver == network::Driver::Macvlan) {
        made = host->add_macvlan(ep.ifname, spec.parent, spec.mode, ns.fd, spec.mtu);
    } else {
        made = host->add_ipvlan(ep.ifname, spec.parent, spec.mode, ns.fd, spec.mtu);
    }
    auto inside = network::Netlink::open_in(path);
    auto undo = [&](Error e) {
        if (!ep.host_link.empty()) {
            (void)host->delete_link(ep.host_link);
        } else if (inside) {
            (void)inside->delete_link(ep.ifname);
        }
        return e.context(what);
    };
    if (!made) return undo(made.error());
    if (!inside) return undo(inside.error());
    if (spec.driver != network::Driver::Ipvlan) {
        if (auto r = inside->set_mac(ep.ifname, ep.mac); !r) return undo(r.error());
    } else {
        ep.mac.clear();  // an ipvlan link has its parent's address
    }
    for (const auto& ad : addrs) {
        if (auto r = inside->add_address(ep.ifname, *ad.address, ad.prefix); !r) {
            return undo(r.error());
        }
    }
    // Neighbours learn the new address at once (a gratuitous ARP when it comes up), and an IPv6
    // address is usable without duplicate detection, as netavark sets both.
    auto tuned = network::in_netns(path, [&]() -> Result<void> {
        auto arp = network::set_sysctl(network::conf_key("ipv4", ep.ifname, "arp_notify"), "1");
        if (!arp) return arp.error();
        if (ep.ipv6.empty()) return {};
        auto dad = network::set_sysctl(network::conf_key("ipv6", ep.ifname, "accept_dad"), "0");
        if (!dad) return dad.error();
        return {};
    });
    if (!tuned) return undo(tuned.error());
    if (auto r = inside->set_up(ep.ifname); !r) return undo(r.error());
    if (default_route && !spec.internal) {
        for (const auto& ad : addrs) {
            if (auto r = inside->add_default_route(ep.ifname, ad.gateway); !r) {
                return undo(r.error());
            }
        }
    }
    NetworkRecord updated = n;
    updated.ipam = ipam_json(ipam);
    if (auto r = db_.put_endpoint(ep); !r) return undo(r.error());
    if (auto r = db_.put_network(updated); !r) {
        (void)db_.remove_endpoint(container_id, n.id);
        return undo(r.error());
    }
    return ep;
}

Result<void> NetworkManager::detach_locked(const EndpointRecord& e, const NetworkRecord& n,
                                           bool deferred) {
    Errors errors;
    if (deferred) {
        if (!e.host_link.empty()) reaper_.add(e.host_link);
    } else if (!e.host_link.empty()) {
        // Deleting the host end takes its peer in the container with it.
        auto host = network::Netlink::open();
        if (host) {
            errors.add(host->delete_link(e.host_link));
        } else {
            errors.add(host.error());
        }
    } else if (::access(netns_path(e.container_id).c_str(), F_OK) == 0) {
        auto inside = network::Netlink::open_in(netns_path(e.container_id));
        if (inside) {
            errors.add(inside->delete_link(e.ifname));
        } else {
            errors.add(inside.error());
        }
    }
    errors.add(db_.remove_endpoint(e.container_id, e.network_id));
    return errors.result("disconnect " + e.container_id.substr(0, 12) + " from " + n.name);
}

Result<void> NetworkManager::setup_container(const std::string& container_id,
                                             const std::vector<NetworkJoin>& joins,
                                             const std::vector<scheduler::PublishedPort>& ports) {
    std::lock_guard lock(mu_);
    std::error_code ec;
    std::filesystem::create_directories(options_.netns_root, ec);
    if (ec) return errno_error("create " + options_.netns_root, ec.value());
    if (auto r = network::create_netns(netns_path(container_id)); !r) return r;
    auto fail = [&](Error e) {
        if (auto r = release_locked(container_id); !r) {
            e = Error(e.message() + " (and the cleanup failed: " + r.error().message() + ")");
        }
        return e;
    };
    // The gateway is the first network's that leads out, as Docker picks it by priority.
    bool routed = false;
    for (std::size_t i = 0; i < joins.size(); ++i) {
        const bool route = !routed && !parse_spec(joins[i].network.spec).internal;
        auto ep = attach_locked(container_id, joins[i].network, joins[i].attachment,
                                static_cast<int>(i), route);
        if (!ep) return fail(ep.error());
        routed = routed || route;
    }
    if (!ports.empty()) {
        if (auto r = publish_locked(container_id, ports); !r) return fail(r.error());
        if (auto r = rebuild_firewall_locked(); !r) return fail(r.error());
    }
    return {};
}

Result<EndpointRecord> NetworkManager::connect(const std::string& container_id,
                                               const NetworkRecord& n,
                                               const scheduler::Attachment& attachment) {
    std::lock_guard lock(mu_);
    if (::access(netns_path(container_id).c_str(), F_OK) != 0) {
        return Error("container " + container_id.substr(0, 12) +
                     " has no network namespace of its own that berth manages (network_mode "
                     "host, none or shared)");
    }
    auto eps = db_.endpoints(container_id);
    if (!eps) return eps.error();
    int position = 0;
    bool routed = false;
    for (const auto& e : *eps) {
        position = std::max(position, e.position + 1);
        routed = true;
    }
    scheduler::Attachment a = attachment;
    if (a.interface_name.empty()) {
        // The lowest ethN the container does not use yet.
        for (int k = 0;; ++k) {
            std::string name = "eth" + std::to_string(k);
            bool used = std::any_of(eps->begin(), eps->end(),
                                    [&](const EndpointRecord& e) { return e.ifname == name; });
            if (!used) {
                a.interface_name = name;
                break;
            }
        }
    }
    return attach_locked(container_id, n, a, position, !routed);
}

Result<void> NetworkManager::disconnect(const std::string& container_id, const NetworkRecord& n) {
    std::lock_guard lock(mu_);
    auto eps = db_.endpoints(container_id, n.id);
    if (!eps) return eps.error();
    if (eps->empty()) {
        return Error("container " + container_id.substr(0, 12) + " is not connected to network " +
                     n.name);
    }
    return detach_locked(eps->front(), n, false);
}

Result<void> NetworkManager::release_container(const std::string& container_id) {
    std::lock_guard lock(mu_);
    return release_locked(container_id);
}

Result<void> NetworkManager::release_locked(const std::string& container_id) {
    Errors errors;
    held_.erase(container_id);
    auto ports = db_.ports(container_id);
    const bool had_ports = ports && !ports->empty();
    errors.add(db_.remove_ports(container_id));
    auto eps = db_.endpoints(container_id);
    if (eps) {
        auto nets = db_.networks();
        for (const auto& e : *eps) {
            NetworkRecord n;
            n.id = e.network_id;
            n.name = e.network_id.substr(0, 12);
            if (nets) {
                for (const auto& x : *nets) {
                    if (x.id == e.network_id) n = x;
                }
            }
            errors.add(detach_locked(e, n, true));
        }
    } else {
        errors.add(eps.error());
    }
    errors.add(network::remove_netns(netns_path(container_id)));
    if (had_ports) errors.add(rebuild_firewall_locked());
    return errors.result("release the network of " + container_id.substr(0, 12));
}

namespace {

Result<std::optional<network::Address>> host_address(const std::string& host_ip) {
    if (host_ip.empty() || host_ip == "0.0.0.0") return std::optional<network::Address>();
    auto a = network::parse_address(host_ip);
    if (!a) return Error("ports: host_ip \"" + host_ip + "\" is not an IP address");
    return std::optional<network::Address>(*a);
}

// The first free port of the range, held.
Result<network::PortReservation> reserve_in(const scheduler::PublishedPort& p,
                                            const std::optional<network::Address>& ip) {
    network::PortRequest req;
    req.protocol = p.protocol;
    req.host_ip = ip;
    std::optional<Error> first;
    for (int port = p.host_from; port <= p.host_to; ++port) {
        req.port = static_cast<std::uint16_t>(port);
        auto held = network::reserve_port(req);
        if (held) return held;
        if (!first) first = held.error();
    }
    return *first;
}

}  // namespace

Result<void> NetworkManager::publish_locked(const std::string& container_id,
                                            const std::vector<scheduler::PublishedPort>& ports) {
    std::vector<network::PortReservation> held;
    std::vector<PortRecord> records;
    for (const auto& p : ports) {
        auto ip = host_address(p.host_ip);
        if (!ip) return ip.error();
        PortRecord rec{container_id, p.protocol, *ip ? network::to_string(**ip) : "", p.host_from,
                       p.container_port};
        if (p.protocol == "sctp") {
            // No socket holds an SCTP port here: the kernel may lack SCTP altogether.
            if (p.host_from == 0) return Error("ports: an sctp port needs a published port");
            records.push_back(rec);
            continue;
        }
        auto r =
            p.host_from == 0 ? network::reserve_port({p.protocol, *ip, 0}) : reserve_in(p, *ip);
        if (!r) return r.error();
        rec.host_port = r->port();
        records.push_back(rec);
        held.push_back(std::move(*r));
    }
    if (auto r = db_.put_ports(container_id, records); !r) return r;
    held_[container_id] = std::move(held);
    return {};
}

Result<void> NetworkManager::check_ports_free(const std::vector<scheduler::PublishedPort>& ports,
                                              const std::set<std::string>& own) {
    std::lock_guard lock(mu_);
    auto records = db_.ports();
    if (!records) return records.error();
    // Held until every port is checked, so two services asking for one port are caught too.
    std::vector<network::PortReservation> trial;
    for (const auto& p : ports) {
        if (p.host_from == 0 || p.host_from != p.host_to || p.protocol == "sctp") continue;
        auto ip = host_address(p.host_ip);
        if (!ip) return ip.error();
        const bool ours = std::any_of(records->begin(), records->end(), [&](const PortRecord& r) {
            return own.count(r.container_id) && r.protocol == p.protocol &&
                   r.host_port == p.host_from;
        });
        if (ours) continue;
        auto held =
            network::reserve_port({p.protocol, *ip, static_cast<std::uint16_t>(p.host_from)});
        if (!held) return held.error();
        trial.push_back(std::move(*held));
    }
    return {};
}

}  // namespace berth::daemon
