#include "network/netlink.hpp"

#include <fcntl.h>
#include <linux/if.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>
#include <sched.h>
#include <unistd.h>

#include <thread>

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
    rtnl_link_set_ns_fd(peer.p, peer_netns_fd);
    if (mtu > 0) {
        rtnl_link_set_mtu(link.p, static_cast<unsigned>(mtu));
        rtnl_link_set_mtu(peer.p, static_cast<unsigned>(mtu));
    }
    if (int err = rtnl_link_add(sock_, link.p, NLM_F_CREATE | NLM_F_EXCL); err < 0) {
        return nl_error(what, err);
    }
    return {};
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

Result<void> Netlink::set_up(const std::string& name) {
    LinkRef link, change{rtnl_link_alloc()};
    if (int err = rtnl_link_get_kernel(sock_, 0, name.c_str(), &link.p); err < 0) {
        return nl_error("bring " + name + " up", err);
    }
    rtnl_link_set_flags(change.p, IFF_UP);
    if (int err = rtnl_link_change(sock_, link.p, change.p, 0); err < 0) {
        return nl_error("bring " + name + " up", err);
    }
    return {};
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
    const std::string what = "add a default route via " + to_string(gateway) + " on " + name;
    auto index = ifindex(name);
    if (!index) return index.error().context(what);
    auto dst = to_nl(Address{gateway.v6, {}}, 0);
    if (!dst) return dst.error();
    AddrRef dst_ref{*dst};
    auto gw = to_nl(gateway, gateway.bits());
    if (!gw) return gw.error();
    AddrRef gw_ref{*gw};
    rtnl_route* route = rtnl_route_alloc();
    if (!route) return Error(what + ": cannot allocate");
    rtnl_route_set_family(route, gateway.v6 ? AF_INET6 : AF_INET);
    int err = rtnl_route_set_dst(route, dst_ref.p);
    rtnl_nexthop* nh = rtnl_route_nh_alloc();
    rtnl_route_nh_set_ifindex(nh, *index);
    rtnl_route_nh_set_gateway(nh, gw_ref.p);
    rtnl_route_add_nexthop(route, nh);  // the route owns it from here
    if (err >= 0) err = rtnl_route_add(sock_, route, NLM_F_CREATE | NLM_F_EXCL);
    rtnl_route_put(route);
    if (err < 0) return nl_error(what, err);
    return {};
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
