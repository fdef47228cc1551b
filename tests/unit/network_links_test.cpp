// macvlan and ipvlan endpoints, MAC and MTU changes and routes, as root, in a child with network
// and mount namespaces of its own. The parent link is one end of a veth pair (this project's
// test kernels may lack the dummy driver); two endpoints on it, each in a pinned namespace of its
// own, carry a TCP connection to each other.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "netns_child.hpp"
#include "network/netlink.hpp"
#include "network/netns.hpp"

using namespace berth::network;
using test_support::failed;
using test_support::in_private_namespaces;

namespace {

using test_support::kSkipped;

Address addr(const char* text) {
    return parse_address(text).value();
}

Prefix prefix(const char* text) {
    return parse_prefix(text).value();
}

// The parent link: one end of a veth pair, both ends up.
berth::Result<void> make_parent(Netlink& nl) {
    if (auto r = nl.add_veth("par0", "par1", -1, 0); !r) return r;
    if (auto r = nl.set_up("par0"); !r) return r;
    return nl.set_up("par1");
}

// Gives eth0 in the namespace at ns_path `ip`/24 and brings it up.
berth::Result<void> configure(const std::string& ns_path, const char* ip) {
    auto nl = Netlink::open_in(ns_path);
    if (!nl) return nl.error();
    if (auto r = nl->add_address("eth0", addr(ip), 24); !r) return r;
    return nl->set_up("eth0");
}

sockaddr_in ipv4(const char* ip, int port) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<std::uint16_t>(port));
    ::inet_pton(AF_INET, ip, &sa.sin_addr);
    return sa;
}

// A TCP connection from the namespace at `from` to `to_ip` in the namespace at `to`, retried
// until a deadline; the listener checks the peer is `from_ip`.
int connect_between(const std::string& from, const char* from_ip, const std::string& to,
                    const char* to_ip) {
    int listener = -1;
    int port = 0;
    STEP(in_netns(to,
                  [&]() -> berth::Result<void> {
                      listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
                      sockaddr_in sa = ipv4(to_ip, 0);
                      socklen_t len = sizeof sa;
                      if (::bind(listener, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 ||
                          ::listen(listener, 4) != 0 ||
                          ::getsockname(listener, reinterpret_cast<sockaddr*>(&sa), &len) != 0) {
                          return berth::errno_error("listen", errno);
                      }
                      port = ntohs(sa.sin_port);
                      return {};
                  }),
         "listen in the second namespace");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    int client = -1;
    std::string last = "no attempt";
    while (client < 0 && std::chrono::steady_clock::now() < deadline) {
        auto r = in_netns(from, [&]() -> berth::Result<void> {
            int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            timeval tv{1, 0};
            ::setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
            sockaddr_in sa = ipv4(to_ip, port);
            if (::connect(s, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
                int err = errno;
                ::close(s);
                return berth::errno_error("connect", err);
            }
            client = s;
            return {};
        });
        if (!r) last = r.error().message();
    }
    if (client < 0) return failed("connect to " + std::string(to_ip), last);
    pollfd p{listener, POLLIN, 0};
    CHECK(::poll(&p, 1, 5000) == 1, "the connection arrives");
    sockaddr_in peer{};
    socklen_t len = sizeof peer;
    int conn = ::accept(listener, reinterpret_cast<sockaddr*>(&peer), &len);
    char peer_ip[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, &peer.sin_addr, peer_ip, sizeof peer_ip);
    CHECK(conn >= 0, "accept");
    if (std::string(peer_ip) != from_ip) return failed("peer", std::string("was ") + peer_ip);
    ::close(conn);
    ::close(client);
    ::close(listener);
    return 0;
}

// Two namespaces with an endpoint each on par0 (made by `add`), 10.10.0.2 and .3, connected.
int two_endpoints(const std::string& dir, const char* kind,
                  const std::function<berth::Result<void>(Netlink&, int fd)>& add) {
    auto host = Netlink::open();
    if (!host) return failed("open", host.error().message());
    STEP(make_parent(*host), "parent link");
    const std::string a = dir + "/a", b = dir + "/b";
    STEP(create_netns(a), "namespace a");
    STEP(create_netns(b), "namespace b");
    for (const auto& path : {a, b}) {
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        CHECK(fd >= 0, "open a namespace");
        auto added = add(*host, fd);
        ::close(fd);
        if (!added && added.error().message().find("not supported") != std::string::npos) {
            std::fprintf(stderr, "this kernel has no %s: %s\n", kind,
                         added.error().message().c_str());
            return kSkipped;
        }
        STEP(added, std::string(kind) + " endpoint in " + path);
    }
    CHECK(!host->exists("eth0"), "the endpoints were made in their namespaces, not here");
    auto in_a = Netlink::open_in(a);
    if (!in_a) return failed("open_in", in_a.error().message());
    auto mtu = in_a->mtu("eth0");
    if (!mtu || *mtu != 1400) return failed("mtu", mtu ? std::to_string(*mtu) : "unreadable");
    STEP(configure(a, "10.10.0.2"), "configure a");
    STEP(configure(b, "10.10.0.3"), "configure b");
    if (int rc = connect_between(a, "10.10.0.2", b, "10.10.0.3"); rc != 0) return rc;
    if (int rc = connect_between(b, "10.10.0.3", a, "10.10.0.2"); rc != 0) return rc;
    STEP(remove_netns(a), "remove a");
    STEP(remove_netns(b), "remove b");
    STEP(host->delete_link("par0"), "delete the parent");
    return 0;
}

TEST(Links, MacvlanEndpointsInTwoNamespacesReachEachOther) {
    in_private_namespaces([](const std::string& dir) {
        return two_endpoints(dir, "macvlan", [](Netlink& nl, int fd) {
            return nl.add_macvlan("eth0", "par0", "", fd, 1400);
        });
    });
}

TEST(Links, IpvlanL2EndpointsInTwoNamespacesReachEachOther) {
    in_private_namespaces([](const std::string& dir) {
        return two_endpoints(dir, "ipvlan", [](Netlink& nl, int fd) {
            return nl.add_ipvlan("eth0", "par0", "l2", fd, 1400);
        });
    });
}

TEST(Links, UnknownModesAndMissingParentsAreRefusedNamingThem) {
    in_private_namespaces([](const std::string&) {
        auto nl = Netlink::open();
        if (!nl) return failed("open", nl.error().message());
        STEP(make_parent(*nl), "parent link");
        auto mac = nl->add_macvlan("mv0", "par0", "bridged", -1, 0);
        CHECK(!mac && mac.error().message().find("'bridged'") != std::string::npos,
              "macvlan mode named");
        auto ip = nl->add_ipvlan("iv0", "par0", "l4", -1, 0);
        CHECK(!ip && ip.error().message().find("'l4'") != std::string::npos, "ipvlan mode named");
        CHECK(!nl->exists("mv0") && !nl->exists("iv0"), "nothing made");
        auto parent = nl->add_macvlan("mv0", "nope0", "bridge", -1, 0);
        CHECK(!parent && parent.error().message().find("nope0") != std::string::npos,
              "missing parent named");
        for (const char* mode : {"private", "vepa", "bridge"}) {
            STEP(nl->add_macvlan("mv0", "par0", mode, -1, 0), std::string("macvlan ") + mode);
            STEP(nl->delete_link("mv0"), "delete macvlan");
        }
        // Every ipvlan mode reaches the kernel: made, or refused by a kernel without ipvlan.
        for (const char* mode : {"", "l2", "l3", "l3s"}) {
            auto made = nl->add_ipvlan("iv0", "par0", mode, -1, 0);
            if (!made && made.error().message().find("not supported") == std::string::npos) {
                return failed(std::string("ipvlan mode '") + mode + "'", made.error().message());
            }
            // The refusal of a kernel without ipvlan says so, not just "not supported".
            CHECK(made || made.error().message().find("this kernel does not support ipvlan") !=
                              std::string::npos,
                  "a missing ipvlan driver is named");
            STEP(nl->delete_link("iv0"), "delete ipvlan");
        }
        return 0;
    });
}

TEST(Links, MacAndMtuAreSetAndRead) {
    in_private_namespaces([](const std::string&) {
        auto nl = Netlink::open();
        if (!nl) return failed("open", nl.error().message());
        STEP(make_parent(*nl), "parent link");
        STEP(nl->set_mac("par0", "02-42-AC-11-00-02"), "set mac");
        auto mac = nl->mac("par0");
        if (!mac || *mac != "02:42:ac:11:00:02") {
            return failed("mac", mac ? *mac : mac.error().message());
        }
        auto bad = nl->set_mac("par0", "01:00:5e:00:00:01");
        CHECK(!bad && bad.error().message().find("01:00:5e:00:00:01") != std::string::npos,
              "a multicast MAC is refused naming it");
        CHECK(*nl->mac("par0") == "02:42:ac:11:00:02", "the refused MAC changed nothing");
        STEP(nl->set_mtu("par0", 1280), "set mtu");
        auto mtu = nl->mtu("par0");
        if (!mtu || *mtu != 1280) return failed("mtu", mtu ? std::to_string(*mtu) : "unreadable");
        CHECK(!nl->set_mtu("par0", 0), "mtu 0 is refused");
        CHECK(!nl->mtu("nope0"), "no mtu for a missing link");
        return 0;
    });
}

TEST(Links, HairpinModeIsSetAndReadOnABridgePort) {
    in_private_namespaces([](const std::string&) {
        auto nl = Netlink::open();
        if (!nl) return failed("open", nl.error().message());
        STEP(make_parent(*nl), "veth pair");
        STEP(nl->add_bridge("br-hp", 0), "bridge");
        STEP(nl->set_master("par0", "br-hp"), "master");
        auto on = nl->hairpin("par0");
        if (!on || *on) return failed("hairpin at first", on ? "on" : on.error().message());
        STEP(nl->set_hairpin("par0", true), "hairpin on");
        on = nl->hairpin("par0");
        if (!on || !*on) return failed("hairpin after on", on ? "off" : on.error().message());
        STEP(nl->set_hairpin("par0", false), "hairpin off");
        on = nl->hairpin("par0");
        if (!on || *on) return failed("hairpin after off", on ? "on" : on.error().message());
        auto bad = nl->set_hairpin("par1", true);
        CHECK(!bad && bad.error().message().find("par1") != std::string::npos,
              "a link that is no bridge port is refused naming it");
        CHECK(!nl->hairpin("par1"), "no hairpin mode on a link that is no bridge port");
        CHECK(!nl->set_hairpin("nope0", true), "no hairpin mode on a missing link");
        return 0;
    });
}

TEST(Links, OnlinkRoutesAreTheMainTablesOnLinkDestinations) {
    in_private_namespaces([](const std::string&) {
        auto nl = Netlink::open();
        if (!nl) return failed("open", nl.error().message());
        STEP(make_parent(*nl), "parent link");
        STEP(nl->add_address("par0", addr("10.20.0.1"), 24), "IPv4 address");
        STEP(nl->add_address("par0", addr("fd00:20::1"), 64), "IPv6 address");
        STEP(nl->add_route("par0", prefix("10.30.0.0/16"), std::nullopt), "on-link route");
        STEP(nl->add_route("par0", prefix("10.40.0.0/16"), addr("10.20.0.254")), "routed");
        STEP(nl->add_route("par0", prefix("fd00:30::/48"), std::nullopt), "IPv6 on-link route");
        STEP(nl->add_route("par0", prefix("fd00:40::/48"), addr("fd00:20::fe")), "IPv6 routed");
        STEP(nl->add_default_route("par0", addr("10.20.0.254")), "default route");
        STEP(nl->add_route("par0", prefix("169.254.0.0/16"), std::nullopt), "link-local route");
        CHECK(!nl->add_route("par0", prefix("10.50.0.0/16"), addr("fd00:20::fe")),
              "mixed families are refused");

        // fe80::/64 appears once the link is up; wait for it so that skipping it is tested.
        auto routes = nl->onlink_routes();
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        auto has = [&](const char* p) {
            return std::find(routes->begin(), routes->end(), prefix(p)) != routes->end();
        };
        while (routes && !has("fd00:20::/64") && std::chrono::steady_clock::now() < deadline) {
            routes = nl->onlink_routes();
        }
        if (!routes) return failed("onlink_routes", routes.error().message());
        std::string seen;
        for (const auto& p : *routes) seen += to_string(p) + " ";
        std::fprintf(stderr, "on-link: %s\n", seen.c_str());
        CHECK(has("10.20.0.0/24"), "the address's own route");
        CHECK(has("10.30.0.0/16"), "the on-link route");
        CHECK(has("fd00:20::/64"), "the IPv6 address's route");
        CHECK(has("fd00:30::/48"), "the IPv6 on-link route");
        CHECK(!has("10.40.0.0/16") && !has("fd00:40::/48"), "no route via a gateway");
        CHECK(!has("0.0.0.0/0") && !has("169.254.0.0/16") && !has("fe80::/64"),
              "no default or link-local route");
        CHECK(routes->size() == 4, "nothing else");
        return 0;
    });
}

}  // namespace
