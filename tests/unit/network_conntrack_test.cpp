// Which udp ports lose their conntrack entries when the rules change (pure), and the deletion
// itself, as root, in a network namespace of the test's own: udp flows on two ports, one port's
// entries deleted, the other's kept.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "network/conntrack.hpp"
#include "network/netlink.hpp"
#include "network/nftables.hpp"
#include "step_support.hpp"

using namespace berth::network;

namespace {

PortMapping udp(std::uint16_t host_port, const char* container_ip, std::uint16_t port,
                const char* host_ip = nullptr) {
    PortMapping m;
    m.protocol = "udp";
    if (host_ip) m.host_ip = parse_address(host_ip).value();
    m.host_port = host_port;
    m.container_ip = parse_address(container_ip).value();
    m.container_port = port;
    return m;
}

PortMapping tcp(std::uint16_t host_port, const char* container_ip, std::uint16_t port) {
    PortMapping m = udp(host_port, container_ip, port);
    m.protocol = "tcp";
    return m;
}

using Ports = std::vector<std::uint16_t>;

TEST(ConntrackDiff, UnchangedRulesForgetNothing) {
    std::vector<PortMapping> rules{udp(53, "172.17.0.2", 53), tcp(80, "172.17.0.2", 80)};
    EXPECT_EQ(changed_udp_ports(rules, rules), Ports{});
    EXPECT_EQ(changed_udp_ports({}, {}), Ports{});
}

TEST(ConntrackDiff, AddedRemovedAndRetargetedUdpPortsAreForgotten) {
    std::vector<PortMapping> before{udp(53, "172.17.0.2", 53), udp(514, "172.17.0.3", 514),
                                    udp(600, "172.17.0.4", 600), udp(700, "172.17.0.5", 7)};
    std::vector<PortMapping> after{udp(53, "172.17.0.2", 53),     // the same
                                   udp(514, "172.17.0.9", 514),   // another container address
                                   udp(700, "172.17.0.5", 8),     // another container port
                                   udp(800, "172.17.0.6", 800)};  // new; 600 went
    EXPECT_EQ(changed_udp_ports(before, after), (Ports{514, 600, 700, 800}));
}

TEST(ConntrackDiff, TcpIsNeverForgottenAndHostAddressesCount) {
    EXPECT_EQ(changed_udp_ports({tcp(80, "172.17.0.2", 80)}, {tcp(80, "172.17.0.3", 80)}), Ports{});
    // One port on two host addresses, then on one of them only.
    std::vector<PortMapping> both{udp(53, "172.17.0.2", 53, "127.0.0.1"),
                                  udp(53, "172.17.0.2", 53, "10.0.0.1")};
    std::vector<PortMapping> one{udp(53, "172.17.0.2", 53, "127.0.0.1")};
    EXPECT_EQ(changed_udp_ports(both, one), Ports{53});
    EXPECT_EQ(changed_udp_ports(both, {both[1], both[0]}), Ports{});  // order does not matter
}

int fail(const std::string& what, const std::string& why) {
    std::fprintf(stderr, "%s: %s\n", what.c_str(), why.c_str());
    return 1;
}

// A udp socket on 127.0.0.1:port that receives, so the flows to it are answered by no ICMP.
int udp_bound(std::uint16_t port) {
    int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    if (s < 0 || (port && ::bind(s, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0)) return -1;
    return s;
}

bool send_to(int s, std::uint16_t port) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    return ::sendto(s, "x", 1, 0, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 1;
}

int in_private_namespace() {
    if (::unshare(CLONE_NEWNET) != 0) return fail("unshare", "no network namespace");
    auto nl = Netlink::open();
    if (!nl) return fail("netlink", nl.error().message());
    if (auto r = nl->set_up("lo"); !r) return fail("lo", r.error().message());
    // Conntrack follows a namespace's flows only once a rule there uses it.
    if (auto r = nft_apply("table inet cttest {\n chain out {\n"
                           "  type filter hook output priority 0;\n  ct state new accept\n }\n}\n");
        !r) {
        return fail("nft", r.error().message());
    }
    int a = udp_bound(18991), b = udp_bound(18992), client = udp_bound(0);
    if (a < 0 || b < 0 || client < 0) return fail("sockets", "cannot bind");
    if (!send_to(client, 18991) || !send_to(client, 18992)) return fail("send", "failed");

    auto gone = forget_udp_flows({18991});
    if (!gone) return fail("forget 18991", gone.error().message());
    if (*gone != 1) return fail("forget 18991", "deleted " + std::to_string(*gone) + ", not 1");
    gone = forget_udp_flows({18991});
    if (!gone || *gone != 0) return fail("forget 18991 again", "something was left");
    gone = forget_udp_flows({18992, 18993});
    if (!gone || *gone != 1) return fail("forget 18992", "its entry did not survive the first");
    gone = forget_udp_flows({});
    if (!gone || *gone != 0) return fail("forget nothing", "deleted something");
    return 0;
}

TEST(Conntrack, UdpFlowsOfOnePortAreDeletedAndOthersKept) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (network namespaces, conntrack)";
    test_support::expect_child_succeeds(in_private_namespace);
}

}  // namespace
