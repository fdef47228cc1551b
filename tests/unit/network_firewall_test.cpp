// berth's nftables table: the rules for networks and published ports, checked as text and, as
// root, by nft itself inside a network namespace of the test's own (nothing reaches the host).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "network/firewall.hpp"

using namespace berth::network;

namespace {

Prefix prefix(const char* text) {
    return parse_prefix(text).value();
}
Address addr(const char* text) {
    return parse_address(text).value();
}

FirewallSpec two_networks() {
    FirewallSpec spec;
    spec.networks.push_back({"br-0a1b2c3d4e5f", {prefix("172.18.0.0/16")}, false, true});
    spec.networks.push_back({"br-internal0001", {prefix("172.19.0.0/16")}, true, false});
    spec.ports.push_back({"tcp", std::nullopt, 8080, addr("172.18.0.2"), 80});
    spec.ports.push_back({"udp", addr("127.0.0.1"), 5353, addr("172.18.0.3"), 53});
    return spec;
}

bool has_line(const std::string& text, const std::string& line) {
    return text.find("        " + line + "\n") != std::string::npos;
}

TEST(Firewall, ReplacesOnlyItsOwnTableAtomically) {
    auto text = render_ruleset({});
    ASSERT_TRUE(text) << text.error().message();
    EXPECT_EQ(text->rfind("table inet berth {}\ndelete table inet berth\ntable inet berth {\n", 0),
              0u);
    EXPECT_EQ(text->find("table ip "), std::string::npos);
}

TEST(Firewall, MasqueradeIsolationInternalAndIcc) {
    auto text = render_ruleset(two_networks()).value();
    EXPECT_TRUE(has_line(text, "elements = { \"br-0a1b2c3d4e5f\", \"br-internal0001\" }")) << text;
    EXPECT_TRUE(has_line(text, "ip saddr 172.18.0.0/16 ip daddr != 172.18.0.0/16 masquerade"));
    // The internal network is never masqueraded, and reaches nothing outside itself.
    EXPECT_EQ(text.find("ip saddr 172.19.0.0/16 ip daddr != 172.19.0.0/16 masquerade"),
              std::string::npos);
    EXPECT_TRUE(has_line(text, "iifname \"br-internal0001\" oifname != \"br-internal0001\" drop"));
    EXPECT_TRUE(has_line(text, "oifname \"br-internal0001\" iifname != \"br-internal0001\" drop"));
    EXPECT_TRUE(has_line(text, "iifname \"br-internal0001\" oifname \"br-internal0001\" drop"));
    EXPECT_TRUE(has_line(
        text, "iifname \"br-0a1b2c3d4e5f\" oifname @bridges oifname != \"br-0a1b2c3d4e5f\" drop"));
    EXPECT_TRUE(has_line(text, "ip daddr 172.18.0.0/16 iifname != \"br-0a1b2c3d4e5f\" drop"));
}

TEST(Firewall, PublishedPorts) {
    auto text = render_ruleset(two_networks()).value();
    EXPECT_TRUE(has_line(text, "fib daddr type local jump hostport-dnat"));
    EXPECT_TRUE(has_line(text,
                         "meta nfproto ipv4 tcp dport 8080 ct mark set ct mark or 0x1000 dnat ip "
                         "to 172.18.0.2:80"))
        << text;
    EXPECT_TRUE(has_line(text,
                         "ip daddr 127.0.0.1 udp dport 5353 ct mark set ct mark or 0x1000 dnat ip "
                         "to 172.18.0.3:53"));
    // From the host and from containers (hairpin): marked for masquerade.
    EXPECT_TRUE(
        has_line(text,
                 "meta nfproto ipv4 tcp dport 8080 fib saddr type local meta mark set meta mark or "
                 "0x2000"));
    EXPECT_TRUE(has_line(
        text,
        "meta nfproto ipv4 tcp dport 8080 ip saddr 172.18.0.0/16 meta mark set meta mark or "
        "0x2000"));
    EXPECT_TRUE(has_line(text, "meta mark and 0x2000 == 0x2000 masquerade"));
    EXPECT_TRUE(has_line(text, "ct mark and 0x1000 == 0x1000 accept"));
}

TEST(Firewall, RefusesWhatWouldBreakTheScript) {
    FirewallSpec bad;
    bad.networks.push_back({"br-\" accept; #", {}, false, true});
    EXPECT_FALSE(render_ruleset(bad));
    FirewallSpec proto;
    proto.ports.push_back({"icmp", std::nullopt, 1, addr("172.18.0.2"), 1});
    EXPECT_EQ(render_ruleset(proto).error().message(),
              "published port 1: protocol \"icmp\" is not tcp, udp or sctp");
    FirewallSpec mixed;
    mixed.ports.push_back({"tcp", addr("::1"), 80, addr("172.18.0.2"), 80});
    EXPECT_FALSE(render_ruleset(mixed));
}

// nft parses and checks the script against the kernel (-c: nothing is applied), in a network
// namespace of its own.
TEST(Firewall, NftAcceptsTheScript) {
    if (::geteuid() != 0) GTEST_SKIP() << "nft -c needs root";
    if (::access("/usr/sbin/nft", X_OK) != 0) GTEST_SKIP() << "no nft binary to check with";
    FirewallSpec spec = two_networks();
    spec.networks.push_back({"br-v6", {prefix("fd00:1::/64")}, false, true});
    spec.ports.push_back({"tcp", addr("::1"), 8443, addr("fd00:1::2"), 443});
    auto text = render_ruleset(spec);
    ASSERT_TRUE(text) << text.error().message();
    std::string path =
        testing::TempDir() + "berth-firewall-test-" + std::to_string(::getpid()) + ".nft";
    std::ofstream(path) << *text;
    std::string cmd = "unshare --net /usr/sbin/nft -c -f " + path + " 2>" + path + ".err";
    int rc = std::system(cmd.c_str());
    std::ifstream err(path + ".err");
    std::string why((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
    EXPECT_EQ(rc, 0) << why << "\n" << *text;
    std::remove(path.c_str());
    std::remove((path + ".err").c_str());
}

}  // namespace
