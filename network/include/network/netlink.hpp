// Links, addresses and routes through rtnetlink (libnl-route-3), never through `ip`. A Netlink
// works in the network namespace its socket was opened in: the caller's, or one named by a
// namespace file, entered only by a short-lived thread so that no thread of berthd changes its
// own namespace.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "network/address.hpp"

struct nl_sock;
struct rtnl_link;

namespace berth::network {

class Netlink {
  public:
    // A socket in the calling thread's network namespace.
    static Result<Netlink> open();
    // A socket in the namespace `netns_path` names (/proc/PID/ns/net, or a bind mount of it).
    static Result<Netlink> open_in(const std::string& netns_path);

    Netlink(Netlink&&) noexcept;
    Netlink& operator=(Netlink&&) noexcept;
    ~Netlink();

    Result<int> ifindex(const std::string& name);  // "no link NAME" when there is none
    bool exists(const std::string& name);

    // A Linux bridge, down; mtu 0 keeps the kernel's default.
    Result<void> add_bridge(const std::string& name, int mtu);
    // A veth pair: `host_name` in this namespace, its peer created directly as `peer_name` in the
    // namespace open as `peer_netns_fd` (so no interface is renamed or moved afterwards); -1
    // makes both ends here.
    Result<void> add_veth(const std::string& host_name, const std::string& peer_name,
                          int peer_netns_fd, int mtu);
    // A macvlan link on `parent` (a link in this socket's namespace), created directly as `name`
    // in the namespace open as `netns_fd` (-1: this namespace). Modes: bridge (for ""), private,
    // vepa, passthru; any other is refused naming it, before anything is made.
    Result<void> add_macvlan(const std::string& name, const std::string& parent,
                             const std::string& mode, int netns_fd, int mtu);
    // An ipvlan link, likewise. Modes: l2 (for ""), l3, l3s.
    Result<void> add_ipvlan(const std::string& name, const std::string& parent,
                            const std::string& mode, int netns_fd, int mtu);
    Result<void> set_master(const std::string& name, const std::string& bridge);
    // Hairpin mode on a bridge port: frames may leave through the port they came in by. A
    // container reaching its own published port is DNAT'ed back to itself, and its bridge must
    // send that packet out the port it arrived on.
    Result<void> set_hairpin(const std::string& name, bool on);
    Result<bool> hairpin(const std::string& name);
    // "02:42:ac:11:00:02" (or any form parse_mac takes); a multicast address is refused.
    Result<void> set_mac(const std::string& name, const std::string& mac);
    // The link's MAC address, lower-case with ':'.
    Result<std::string> mac(const std::string& name);
    Result<void> set_mtu(const std::string& name, int mtu);
    Result<int> mtu(const std::string& name);
    Result<void> set_up(const std::string& name);
    // Down: its IPv4 routes go with it, so a link waiting to be deleted routes nothing.
    Result<void> set_down(const std::string& name);
    // `address`/`prefix_len` on the link (IFA_F_NODAD for IPv6, so it is usable at once).
    Result<void> add_address(const std::string& name, const Address& address, int prefix_len);
    Result<void> add_default_route(const std::string& name, const Address& gateway);
    // A route to `dst` through the link: via `gateway`, or on-link (scope link) without one.
    Result<void> add_route(const std::string& name, const Prefix& dst,
                           const std::optional<Address>& gateway);
    // The main table's on-link destinations, as Docker's InferReservedNetworks collects them:
    // IPv4 routes of scope link, and IPv6 routes without a gateway (the kernel gives every IPv6
    // route scope universe, so "no gateway" is IPv6's on-link). Default routes, link-local
    // (169.254.0.0/16, fe80::/10) and multicast destinations are left out.
    Result<std::vector<Prefix>> onlink_routes();
    // A link that does not exist is not an error: teardown is idempotent.
    Result<void> delete_link(const std::string& name);

  private:
    explicit Netlink(nl_sock* sock) : sock_(sock) {}
    // Adds `link` (a macvlan or ipvlan, its mode set) on `parent`, as `name` in netns_fd.
    Result<void> add_stacked(rtnl_link* link, const std::string& what, const std::string& name,
                             const std::string& parent, int netns_fd, int mtu);
    // Applies what `set` puts in a change request to the link `name`.
    Result<void> change(const std::string& name, const std::string& what,
                        const std::function<void(rtnl_link*)>& set);

    nl_sock* sock_ = nullptr;
};

}  // namespace berth::network
