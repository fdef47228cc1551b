// What up refuses about a project's subnets and static addresses before it makes anything.
#include <gtest/gtest.h>

#include "scheduler/network_checks.hpp"

using namespace berth;
using scheduler::Attachment;
using scheduler::check_project_networks;
using scheduler::ServiceNetworks;

namespace {

network::NetworkSpec net(const std::string& key, std::vector<std::string> subnets = {}) {
    network::NetworkSpec s;
    s.key = key;
    s.name = "demo_" + key;
    for (auto& sub : subnets) s.subnets.push_back({sub, "", "", {}});
    return s;
}

Attachment on(const std::string& network, const std::string& v4, const std::string& v6 = "") {
    Attachment a;
    a.network = network;
    a.ipv4_address = v4;
    a.ipv6_address = v6;
    return a;
}

ServiceNetworks svc(const std::string& name, int replicas, std::vector<Attachment> attachments,
                    std::vector<scheduler::PublishedPort> ports = {}) {
    return {name, replicas, std::move(attachments), std::move(ports)};
}

std::string error_of(const Result<void>& r) {
    return r ? std::string("(no error)") : r.error().message();
}

TEST(NetworkChecks, StaticAddressesInsideTheirSubnetsPass) {
    std::vector specs{net("front", {"172.30.0.0/24", "fd00:1::/64"}), net("back")};
    std::vector<ServiceNetworks> services{
        svc("a", 1, {on("front", "172.30.0.5", "fd00:1::5"), on("back", "")}),
        svc("b", 1, {on("front", "172.30.0.6")}),
        svc("c", 3, {on("front", ""), on("back", "")}),
    };
    EXPECT_TRUE(check_project_networks(specs, services))
        << error_of(check_project_networks(specs, services));
}

TEST(NetworkChecks, OverlappingSubnetsAreRefusedNamingBoth) {
    std::vector specs{net("n1", {"172.30.0.0/24"}), net("n2", {"172.30.0.0/16"})};
    auto r = check_project_networks(specs, {});
    EXPECT_EQ(error_of(r),
              "network demo_n2: invalid pool request: Pool overlaps with other one on this address "
              "space (172.30.0.0/16 and 172.30.0.0/24, network demo_n1)");
    specs[1].external = true;  // not the project's: the daemon knows what it is
    EXPECT_TRUE(check_project_networks(specs, {}));
}

TEST(NetworkChecks, AnAddressOutsideTheSubnetOrWithoutOneIsRefused) {
    std::vector specs{net("n1", {"172.30.0.0/24"}), net("auto")};
    EXPECT_EQ(error_of(check_project_networks(specs, {svc("a", 1, {on("n1", "10.1.0.5")})})),
              "service \"a\": network demo_n1: address 10.1.0.5 is not in subnet 172.30.0.0/24");
    EXPECT_EQ(error_of(check_project_networks(specs, {svc("a", 1, {on("n1", "", "fd00::5")})})),
              "service \"a\": network demo_n1: user specified IP address is supported only when "
              "connecting to networks with user configured subnets");
    EXPECT_EQ(error_of(check_project_networks(specs, {svc("a", 1, {on("auto", "172.17.0.9")})})),
              "service \"a\": network demo_auto: user specified IP address is supported only when "
              "connecting to networks with user configured subnets");
}

TEST(NetworkChecks, OneAddressForTwoContainersIsRefused) {
    std::vector specs{net("n1", {"172.30.0.0/24"}), net("n2", {"172.31.0.0/24"})};
    EXPECT_EQ(error_of(check_project_networks(specs, {svc("a", 1, {on("n1", "172.30.0.5")}),
                                                      svc("b", 1, {on("n1", "172.30.0.5")})})),
              "service \"b\": network demo_n1: address 172.30.0.5 is already in use (by service "
              "\"a\")");
    EXPECT_EQ(error_of(check_project_networks(specs, {svc("a", 2, {on("n1", "172.30.0.5")})})),
              "service \"a\": network demo_n1: address 172.30.0.5 is given to 2 replicas");
    // Scaled to zero takes nothing; the same address on two networks is two addresses.
    EXPECT_TRUE(check_project_networks(
        specs, {svc("a", 0, {on("n1", "172.30.0.5")}), svc("b", 1, {on("n1", "172.30.0.5")})}));
    std::vector other{net("n1", {"172.30.0.0/24"}), net("n2", {"10.0.0.0/8"})};
    EXPECT_TRUE(check_project_networks(
        other, {svc("a", 1, {on("n1", "172.30.0.5")}), svc("b", 1, {on("n2", "10.0.0.5")})}));
}

TEST(NetworkChecks, AnIpv6HostAddressNeedsIpv6OnTheFirstNetwork) {
    scheduler::PublishedPort v6;
    v6.host_ip = "::1";
    v6.host_from = v6.host_to = 18080;
    v6.container_port = 80;
    scheduler::PublishedPort v4 = v6;
    v4.host_ip = "127.0.0.1";
    std::vector specs{net("default"), net("six", {"fd00:6::/64"})};
    specs[1].enable_ipv6 = true;
    EXPECT_EQ(error_of(check_project_networks(specs, {svc("p", 1, {on("default", "")}, {v4, v6})})),
              "service \"p\": published port 18080 on ::1: an IPv6 host address needs enable_ipv6 "
              "on network demo_default");
    EXPECT_TRUE(check_project_networks(specs, {svc("p", 1, {on("default", "")}, {v4})}));
    EXPECT_TRUE(
        check_project_networks(specs, {svc("p", 1, {on("six", ""), on("default", "")}, {v6})}));
}

TEST(NetworkChecks, ExternalNetworksAreLeftToTheDaemon) {
    auto ext = net("ext");
    ext.external = true;
    EXPECT_TRUE(check_project_networks(
        {ext}, {svc("a", 1, {on("ext", "192.168.5.5")}), svc("b", 1, {on("ext", "192.168.5.5")})}));
}

}  // namespace
