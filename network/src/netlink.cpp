#include "network/netlink.hpp"

#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/ipvlan.h>
#include <netlink/route/link/macvlan.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <thread>
#include <utility>

#include "network/mac.hpp"

namespace berth::network {

namespace {

Error nl_error(const std::string& what, int err) {
    return Error(what + ": " + nl_geterror(err));
}

// libnl objects with their reference dropped at scope exit.
struct LinkRef {
    rtnl_link* p = nullptr;
    ~LinkRef() {
        if (p) rtnl_link_put(p);
    }
};
struct AddrRef {
    nl_addr* p = nullptr;
    ~AddrRef() {
        if (p) nl_addr_put(p);
    }
};

Result<nl_sock*> connect_here() {
    nl_sock* sock = nl_socket_alloc();
    if (!sock) return Error("netlink: cannot allocate a socket");
    if (int err = nl_connect(sock, NETLINK_ROUTE); err < 0) {
        nl_socket_free(sock);
        return nl_error("netlink: connect", err);
    }
    return sock;
}

// An nl_addr for a, with the given prefix length.
Result<nl_addr*> to_nl(const Address& a, int prefix_len) {
    nl_addr* out = nl_addr_build(a.v6 ? AF_INET6 : AF_INET, a.bytes.data(), a.v6 ? 16 : 4);
    if (!out) return Error("netlink: cannot build address " + to_string(a));
    nl_addr_set_prefixlen(out, prefix_len);
    return out;
}

// Compose's mode names → the kernel's; the first is the driver's default, taken for "".
template <typename Mode>
Result<Mode> lookup_mode(const std::string& driver, const std::string& mode,
                         std::initializer_list<std::pair<const char*, Mode>> modes) {
    const std::string name = mode.empty() ? modes.begin()->first : mode;
    for (const auto& [n, value] : modes) {
        if (name == n) return value;
    }
    // Docker's wording.
    return Error("requested " + driver + " mode '" + mode + "' is not valid, '" +
                 modes.begin()->first + "' mode is the " + driver + " driver default");
}

// A Prefix from a route's destination; nullopt for anything but IPv4/IPv6.
std::optional<Prefix> to_prefix(nl_addr* a) {
    if (!a) return std::nullopt;
    const int family = nl_addr_get_family(a);
    const unsigned size = nl_addr_get_len(a);
    Prefix p;
    p.base.v6 = family == AF_INET6;
    if ((family != AF_INET || size != 4) && (family != AF_INET6 || size != 16)) {
        return std::nullopt;
    }
    const auto* bytes = static_cast<const std::uint8_t*>(nl_addr_get_binary_addr(a));
    std::copy(bytes, bytes + size, p.base.bytes.begin());
    p.length = static_cast<int>(nl_addr_get_prefixlen(a));
    return p;
}

// Destinations never taken as reserved: default routes, link-local, multicast and loopback.
bool reservable(const Prefix& p) {
    if (p.length == 0) return false;
    const auto& b = p.base.bytes;
    if (!p.base.v6) return !(b[0] == 169 && b[1] == 254) && (b[0] & 0xF0) != 0xE0 && b[0] != 127;
    const bool link_local = b[0] == 0xFE && (b[1] & 0xC0) == 0x80;
    Address loopback{true, {}};
    loopback.bytes[15] = 1;
    return !link_local && b[0] != 0xFF && p.base != loopback;
}

bool has_gateway(rtnl_route* route) {
    for (int i = 0; i < rtnl_route_get_nnexthops(route); ++i) {
        if (rtnl_route_nh_get_gateway(rtnl_route_nexthop_n(route, i))) return true;
    }
    return false;
}

}  // namespace

Result<Netlink> Netlink::open() {
    auto sock = connect_here();
    if (!sock) return sock.error();
    return Netlink(*sock);
}

Result<Netlink> Netlink::open_in(const std::string& netns_path) {
    int fd = ::open(netns_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno_error("open network namespace " + netns_path, errno);
    // The socket belongs to the namespace it was made in; only this thread ever enters it.
    Result<nl_sock*> made = Error("netlink: no socket");
    std::thread([&] {
        if (::setns(fd, CLONE_NEWNET) != 0) {
            made = errno_error("enter network namespace " + netns_path, errno);
            return;
        }
        made = connect_here();
    }).join();
    ::close(fd);
    if (!made) return made.error();
    return Netlink(*made);
}

Netlink::Netlink(Netlink&& o) noexcept : sock_(o.sock_) {
    o.sock_ = nullptr;
}

Netlink& Netlink::operator=(Netlink&& o) noexcept {
    std::swap(sock_, o.sock_);
    return *this;
}

Netlink::~Netlink() {
    if (sock_) nl_socket_free(sock_);
}

Result<int> Netlink::ifindex(const std::string& name) {
    LinkRef link;
    if (int err = rtnl_link_get_kernel(sock_, 0, name.c_str(), &link.p); err < 0) {
        return Error("no link " + name + " (" + nl_geterror(err) + ")");
    }
    return rtnl_link_get_ifindex(link.p);
}

bool Netlink::exists(const std::string& name) {
    return ifindex(name).ok();
}

Result<void> Netlink::add_bridge(const std::string& name, int mtu) {
    LinkRef link{rtnl_link_alloc()};
    if (!link.p) return Error("netlink: cannot allocate a link");
    rtnl_link_set_name(link.p, name.c_str());
    if (int err = rtnl_link_set_type(link.p, "bridge"); err < 0) {
        return nl_error("create bridge " + name, err);
    }
    if (mtu > 0) rtnl_link_set_mtu(link.p, static_cast<unsigned>(mtu));
    if (int err = rtnl_link_add(sock_, link.p, NLM_F_CREATE | NLM_F_EXCL); err < 0) {
        return nl_error("create bridge " + name, err);
    }
    return {};
}

Result<void> Netlink::add_veth(const std::string& host_name, const std::string& peer_name,
                               int peer_netns_fd, int mtu) {
    const std::string what = "create veth pair " + host_name + "/" + peer_name;
    LinkRef link{rtnl_link_veth_alloc()};
    if (!link.p) return Error(what + ": cannot allocate a link");
    LinkRef peer{rtnl_link_veth_get_peer(link.p)};
    rtnl_link_set_name(link.p, host_name.c_str());
    rtnl_link_set_name(peer.p, peer_name.c_str());
    if (peer_netns_fd >= 0) rtnl_link_set_ns_fd(peer.p, peer_netns_fd);
    if (mtu > 0) {
        rtnl_link_set_mtu(link.p, static_cast<unsigned>(mtu));
        rtnl_link_set_mtu(peer.p, static_cast<unsigned>(mtu));
    }
    if (int err = rtnl_link_add(sock_, link.p, NLM_F_CREATE | NLM_F_EXCL); err < 0) {
        return nl_error(what, err);
    }
    return {};
}

Result<void> Netlink::add_stacked(rtnl_link* link, const std::string& what, const std::string& name,
                                  const std::string& parent, int netns_fd, int mtu) {
    auto parent_index = ifindex(parent);
    if (!parent_index) return parent_index.error().context(what);
    rtnl_link_set_name(link, name.c_str());
    rtnl_link_set_link(link, *parent_index);
    if (netns_fd >= 0) rtnl_link_set_ns_fd(link, netns_fd);
    if (mtu > 0) rtnl_link_set_mtu(link, static_cast<unsigned>(mtu));
    // The kernel finds the parent in this socket's namespace and makes the link in netns_fd's.
    if (int err = rtnl_link_add(sock_, link, NLM_F_CREATE | NLM_F_EXCL); err < 0) {
        // A kernel built without the driver answers EOPNOTSUPP, which alone reads as if the
        // parent or the mode were at fault.
        if (err == -NLE_OPNOTSUPP) {
            const char* kind = rtnl_link_get_type(link);
            const std::string k = kind ? kind : "this link type";
            return Error(what + ": " + nl_geterror(err) + ": this kernel does not support " + k +
                         " links (is its " + k + " module built and loaded?)");
        }
        return nl_error(what, err);
    }
    return {};
}

Result<void> Netlink::add_macvlan(const std::string& name, const std::string& parent,
                                  const std::string& mode, int netns_fd, int mtu) {
    const std::string what = "create macvlan " + name + " on " + parent;
    auto kernel_mode = lookup_mode<uint32_t>("macvlan", mode,
                                             {{"bridge", MACVLAN_MODE_BRIDGE},
                                              {"private", MACVLAN_MODE_PRIVATE},
                                              {"vepa", MACVLAN_MODE_VEPA},
                                              {"passthru", MACVLAN_MODE_PASSTHRU}});
    if (!kernel_mode) return kernel_mode.error().context(what);
    LinkRef link{rtnl_link_macvlan_alloc()};
    if (!link.p) return Error(what + ": cannot allocate a link");
    if (int err = rtnl_link_macvlan_set_mode(link.p, *kernel_mode); err < 0) {
        return nl_error(what, err);
    }
    return add_stacked(link.p, what, name, parent, netns_fd, mtu);
}

Result<void> Netlink::add_ipvlan(const std::string& name, const std::string& parent,
                                 const std::string& mode, int netns_fd, int mtu) {
    const std::string what = "create ipvlan " + name + " on " + parent;
    auto kernel_mode = lookup_mode<uint16_t>(
        "ipvlan", mode, {{"l2", IPVLAN_MODE_L2}, {"l3", IPVLAN_MODE_L3}, {"l3s", IPVLAN_MODE_L3S}});
    if (!kernel_mode) return kernel_mode.error().context(what);
    LinkRef link{rtnl_link_ipvlan_alloc()};
    if (!link.p) return Error(what + ": cannot allocate a link");
    if (int err = rtnl_link_ipvlan_set_mode(link.p, *kernel_mode); err < 0) {
        return nl_error(what, err);
    }
    return add_stacked(link.p, what, name, parent, netns_fd, mtu);
}

Result<void> Netlink::change(const std::string& name, const std::string& what,
                             const std::function<void(rtnl_link*)>& set) {
    LinkRef link, change{rtnl_link_alloc()};
    if (!change.p) return Error(what + ": cannot allocate a link");
    if (int err = rtnl_link_get_kernel(sock_, 0, name.c_str(), &link.p); err < 0) {
        return nl_error(what, err);
    }
    set(change.p);
    if (int err = rtnl_link_change(sock_, link.p, change.p, 0); err < 0) {
        return nl_error(what, err);
    }
    return {};
}

Result<void> Netlink::set_mac(const std::string& name, const std::string& mac) {
    const std::string what = "set the MAC address of " + name + " to " + mac;
    auto parsed = parse_mac(mac);
    if (!parsed) return Error(what + ": not a unicast MAC address");
    std::uint8_t bytes[6];
    for (std::size_t i = 0; i < 6; ++i) {
        bytes[i] = static_cast<std::uint8_t>(std::stoi(parsed->substr(i * 3, 2), nullptr, 16));
    }
    AddrRef addr{nl_addr_build(AF_LLC, bytes, sizeof bytes)};
    if (!addr.p) return Error(what + ": cannot allocate");
    return change(name, what, [&](rtnl_link* c) { rtnl_link_set_addr(c, addr.p); });
}

Result<std::string> Netlink::mac(const std::string& name) {
    LinkRef link;
    if (int err = rtnl_link_get_kernel(sock_, 0, name.c_str(), &link.p); err < 0) {
        return nl_error("read the MAC address of " + name, err);
    }
    nl_addr* addr = rtnl_link_get_addr(link.p);
    if (!addr || nl_addr_get_len(addr) != 6) return Error(name + " has no MAC address");
    const auto* b = static_cast<const std::uint8_t*>(nl_addr_get_binary_addr(addr));
    char buf[18];
    std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4],
                  b[5]);
    return std::string(buf);
}

Result<void> Netlink::set_mtu(const std::string& name, int mtu) {
    const std::string what = "set the MTU of " + name + " to " + std::to_string(mtu);
    if (mtu <= 0) return Error(what + ": not a positive number");
    return change(name, what,
                  [&](rtnl_link* c) { rtnl_link_set_mtu(c, static_cast<unsigned>(mtu)); });
}

Result<int> Netlink::mtu(const std::string& name) {
    LinkRef link;
    if (int err = rtnl_link_get_kernel(sock_, 0, name.c_str(), &link.p); err < 0) {
        return nl_error("read the MTU of " + name, err);
    }
    return static_cast<int>(rtnl_link_get_mtu(link.p));
}

Result<void> Netlink::set_master(const std::string& name, const std::string& bridge) {
    auto master = ifindex(bridge);
    if (!master) return master.error().context("attach " + name + " to " + bridge);
    LinkRef link, change{rtnl_link_alloc()};
    if (int err = rtnl_link_get_kernel(sock_, 0, name.c_str(), &link.p); err < 0) {
        return nl_error("attach " + name + " to " + bridge, err);
    }
    rtnl_link_set_master(change.p, *master);
    if (int err = rtnl_link_change(sock_, link.p, change.p, 0); err < 0) {
        return nl_error("attach " + name + " to " + bridge, err);
    }
    return {};
}

Result<void> Netlink::set_hairpin(const std::string& name, bool on) {
    const std::string what =
        std::string("turn hairpin mode ") + (on ? "on" : "off") + " on " + name;
    auto index = ifindex(name);
    if (!index) return index.error().context(what);
    // What `bridge link set dev NAME hairpin on` sends: the bridge port's attributes nested in
    // IFLA_PROTINFO of an AF_BRIDGE request (libnl's link change keeps the link's own family).
    nl_msg* msg = nlmsg_alloc_simple(RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK);
    if (!msg) return Error(what + ": cannot allocate");
    ifinfomsg ifi{};
    ifi.ifi_family = AF_BRIDGE;
    ifi.ifi_index = *index;
    int err = nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO);
    nlattr* port = err < 0 ? nullptr : nla_nest_start(msg, IFLA_PROTINFO | NLA_F_NESTED);
    if (!port) {
        nlmsg_free(msg);
        return Error(what + ": cannot build the request");
    }
    err = nla_put_u8(msg, IFLA_BRPORT_MODE, on ? 1 : 0);
    if (err >= 0) err = nla_nest_end(msg, port);
    if (err < 0) {
        nlmsg_free(msg);
        return nl_error(what, err);
    }
    if (err = nl_send_sync(sock_, msg); err < 0) return nl_error(what, err);  // frees msg
    return {};
}

Result<bool> Netlink::hairpin(const std::string& name) {
    const std::string what = "read the hairpin mode of " + name;
    nl_cache* cache = nullptr;
    if (int err = rtnl_link_alloc_cache(sock_, AF_BRIDGE, &cache); err < 0) {
        return nl_error(what, err);
    }
    LinkRef link{rtnl_link_get_by_name(cache, name.c_str())};
    nl_cache_free(cache);
    if (!link.p) return Error(what + ": not a bridge port");
    return (rtnl_link_bridge_get_flags(link.p) & RTNL_BRIDGE_HAIRPIN_MODE) != 0;
}

Result<void> Netlink::set_up(const std::string& name) {
    return change(name, "bring " + name + " up",
                  [](rtnl_link* c) { rtnl_link_set_flags(c, IFF_UP); });
}

Result<void> Netlink::set_down(const std::string& name) {
    return change(name, "bring " + name + " down",
                  [](rtnl_link* c) { rtnl_link_unset_flags(c, IFF_UP); });
}

Result<void> Netlink::add_address(const std::string& name, const Address& address, int prefix_len) {
    const std::string what =
        "add address " + to_string(address) + "/" + std::to_string(prefix_len) + " to " + name;
    auto index = ifindex(name);
    if (!index) return index.error().context(what);
    auto local = to_nl(address, prefix_len);
    if (!local) return local.error();
    AddrRef local_ref{*local};
    rtnl_addr* addr = rtnl_addr_alloc();
    if (!addr) return Error(what + ": cannot allocate");
    rtnl_addr_set_ifindex(addr, *index);
    int err = rtnl_addr_set_local(addr, local_ref.p);
    if (err >= 0 && address.v6) rtnl_addr_set_flags(addr, IFA_F_NODAD);
    if (err >= 0) err = rtnl_addr_add(sock_, addr, 0);
    rtnl_addr_put(addr);
    if (err < 0) return nl_error(what, err);
    return {};
}

Result<void> Netlink::add_default_route(const std::string& name, const Address& gateway) {
    return add_route(name, Prefix{Address{gateway.v6, {}}, 0}, gateway);
}

Result<void> Netlink::add_route(const std::string& name, const Prefix& dst,
                                const std::optional<Address>& gateway) {
    const std::string what =
        (dst.length == 0 ? "add a default route" : "add a route to " + to_string(dst)) +
        (gateway ? " via " + to_string(*gateway) : std::string()) + " on " + name;
    if (gateway && gateway->v6 != dst.base.v6) return Error(what + ": mixed address families");
    auto index = ifindex(name);
    if (!index) return index.error().context(what);
    auto dst_nl = to_nl(dst.base, dst.length);
    if (!dst_nl) return dst_nl.error();
    AddrRef dst_ref{*dst_nl};
    AddrRef gw_ref;
    if (gateway) {
        auto gw = to_nl(*gateway, gateway->bits());
        if (!gw) return gw.error();
        gw_ref.p = *gw;
    }
    rtnl_route* route = rtnl_route_alloc();
    if (!route) return Error(what + ": cannot allocate");
    rtnl_route_set_family(route, dst.base.v6 ? AF_INET6 : AF_INET);
    int err = rtnl_route_set_dst(route, dst_ref.p);
    rtnl_nexthop* nh = rtnl_route_nh_alloc();
    rtnl_route_nh_set_ifindex(nh, *index);
    if (gw_ref.p) rtnl_route_nh_set_gateway(nh, gw_ref.p);
    rtnl_route_add_nexthop(route, nh);  // the route owns it from here
    // Without a scope libnl picks link for a route without a gateway, universe for one with.
    if (err >= 0) err = rtnl_route_add(sock_, route, NLM_F_CREATE | NLM_F_EXCL);
    rtnl_route_put(route);
    if (err < 0) return nl_error(what, err);
    return {};
}

Result<std::vector<Prefix>> Netlink::onlink_routes() {
    nl_cache* cache = nullptr;
    if (int err = rtnl_route_alloc_cache(sock_, AF_UNSPEC, 0, &cache); err < 0) {
        return nl_error("list routes", err);
    }
    std::vector<Prefix> out;
    for (nl_object* o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
        auto* route = reinterpret_cast<rtnl_route*>(o);
        if (rtnl_route_get_table(route) != RT_TABLE_MAIN) continue;
        if (rtnl_route_get_type(route) != RTN_UNICAST) continue;
        auto dst = to_prefix(rtnl_route_get_dst(route));
        if (!dst || !reservable(*dst)) continue;
        const bool onlink =
            dst->base.v6 ? !has_gateway(route) : rtnl_route_get_scope(route) == RT_SCOPE_LINK;
        if (onlink && std::find(out.begin(), out.end(), *dst) == out.end()) out.push_back(*dst);
    }
    nl_cache_free(cache);
    return out;
}

Result<void> Netlink::delete_link(const std::string& name) {
    LinkRef link;
    if (int err = rtnl_link_get_kernel(sock_, 0, name.c_str(), &link.p); err < 0) {
        if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV) return {};
        return nl_error("delete link " + name, err);
    }
    if (int err = rtnl_link_delete(sock_, link.p); err < 0) {
        if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV) return {};
        return nl_error("delete link " + name, err);
    }
    return {};
}

}  // namespace berth::network
