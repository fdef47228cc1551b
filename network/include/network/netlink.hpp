// Links, addresses and routes through rtnetlink (libnl-route-3), never through `ip`. A Netlink
// works in the network namespace its socket was opened in: the caller's, or one named by a
// namespace file, entered only by a short-lived thread so that no thread of berthd changes its
// own namespace.
#pragma once

#include <memory>
#include <string>

#include "common/result.hpp"
#include "network/address.hpp"

struct nl_sock;

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
    // namespace open as `peer_netns_fd` (so no interface is renamed or moved afterwards).
    Result<void> add_veth(const std::string& host_name, const std::string& peer_name,
                          int peer_netns_fd, int mtu);
    Result<void> set_master(const std::string& name, const std::string& bridge);
    Result<void> set_up(const std::string& name);
    // `address`/`prefix_len` on the link (IFA_F_NODAD for IPv6, so it is usable at once).
    Result<void> add_address(const std::string& name, const Address& address, int prefix_len);
    Result<void> add_default_route(const std::string& name, const Address& gateway);
    // A link that does not exist is not an error: teardown is idempotent.
    Result<void> delete_link(const std::string& name);

  private:
    explicit Netlink(nl_sock* sock) : sock_(sock) {}
    nl_sock* sock_ = nullptr;
};

}  // namespace berth::network
