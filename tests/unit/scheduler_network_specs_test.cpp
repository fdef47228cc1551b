// A compose file's networks as network/ takes them, and each service's attachments.
#include <gtest/gtest.h>

#include "compose_support.hpp"
#include "scheduler/network_specs.hpp"

using namespace berth;

namespace {

const char* kProject = R"(name: demo
services:
  web:
    image: busybox
    networks:
      front:
        aliases: [www]
        ipv4_address: 10.1.0.100
        priority: 10
      back: {}
  db:
    image: busybox
networks:
  front:
    driver_opts:
      com.docker.network.bridge.name: br-front
      com.docker.network.bridge.enable_icc: "false"
      com.docker.network.driver.mtu: "1400"
    ipam:
      config:
        - subnet: 10.1.0.0/16
          ip_range: 10.1.5.0/24
          gateway: 10.1.0.254
          aux_addresses: {host1: 10.1.0.5}
    labels: {team: a}
  back:
    internal: true
    enable_ipv6: true
  ext:
    external: true
    name: shared-net
  mac:
    driver: macvlan
    driver_opts: {parent: dummy0, macvlan_mode: bridge}
)";

const network::NetworkSpec* find(const std::vector<network::NetworkSpec>& specs,
                                 const std::string& key) {
    for (const auto& s : specs) {
        if (s.key == key) return &s;
    }
    return nullptr;
}

TEST(NetworkSpecs, FromTheModel) {
    auto p = test_support::load_project(kProject);
    auto specs = scheduler::network_specs(p);
    ASSERT_TRUE(specs) << specs.error().message();
    const auto* front = find(*specs, "front");
    ASSERT_NE(front, nullptr);
    EXPECT_EQ(front->name, "t_front");  // the test loader names the project "t", as -p would
    EXPECT_EQ(front->bridge_name, "br-front");
    EXPECT_FALSE(front->icc);
    EXPECT_EQ(front->mtu, 1400);
    ASSERT_EQ(front->subnets.size(), 1u);
    EXPECT_EQ(front->subnets[0].gateway, "10.1.0.254");
    EXPECT_EQ(front->subnets[0].aux_addresses.at("host1"), "10.1.0.5");
    EXPECT_EQ(front->labels.at("team"), "a");
    const auto* back = find(*specs, "back");
    ASSERT_NE(back, nullptr);
    EXPECT_TRUE(back->internal);
    EXPECT_TRUE(back->enable_ipv6);
    const auto* ext = find(*specs, "ext");
    ASSERT_NE(ext, nullptr);
    EXPECT_TRUE(ext->external);
    EXPECT_EQ(ext->name, "shared-net");
    const auto* mac = find(*specs, "mac");
    ASSERT_NE(mac, nullptr);
    EXPECT_EQ(mac->driver, network::Driver::Macvlan);
    EXPECT_EQ(mac->parent, "dummy0");
    EXPECT_EQ(mac->mode, "bridge");
    // db uses the default network, which the loader adds.
    const auto* dflt = find(*specs, "default");
    ASSERT_NE(dflt, nullptr);
    EXPECT_EQ(dflt->name, "t_default");
}

TEST(NetworkSpecs, BadInputNamesTheNetwork) {
    auto errors = [](const std::string& networks) {
        auto p = test_support::load_project(
            "name: demo\nservices:\n  s:\n    image: busybox\nnetworks:\n" + networks);
        auto specs = scheduler::network_specs(p);
        return specs ? std::string() : specs.error().message();
    };
    EXPECT_EQ(errors("  n:\n    driver: overlay\n"),
              "network \"n\": driver \"overlay\" is not supported (berth runs bridge, macvlan "
              "and ipvlan networks)");
    EXPECT_EQ(errors("  n:\n    driver: macvlan\n"),
              "network \"n\": the macvlan driver needs driver_opts.parent (the host link it sits "
              "on)");
    EXPECT_EQ(errors("  n:\n    ipam:\n      config:\n        - subnet: 10.1.0.0/16\n"
                     "          gateway: 10.2.0.1\n"),
              "network \"n\": gateway 10.2.0.1 is not in subnet 10.1.0.0/16");
    EXPECT_EQ(errors("  n:\n    driver_opts:\n      com.docker.network.bridge.enable_icc: maybe\n"),
              "network \"n\": driver_opts com.docker.network.bridge.enable_icc: \"maybe\" is not "
              "a boolean");
    EXPECT_EQ(errors("  n:\n    driver_opts:\n      com.docker.network.bridge.name: "
                     "a-very-long-bridge-name\n"),
              "network \"n\": bridge name \"a-very-long-bridge-name\" must be 1 to 15 characters");
}

TEST(ServiceAttachments, PriorityThenName) {
    auto p = test_support::load_project(kProject);
    auto web = scheduler::service_attachments(*p.service("web"));
    ASSERT_TRUE(web) << web.error().message();
    ASSERT_EQ(web->size(), 2u);
    EXPECT_EQ((*web)[0].network, "front");
    EXPECT_EQ((*web)[0].aliases, std::vector<std::string>{"www"});
    EXPECT_EQ((*web)[0].ipv4_address, "10.1.0.100");
    EXPECT_EQ((*web)[1].network, "back");
    auto db = scheduler::service_attachments(*p.service("db"));
    ASSERT_TRUE(db);
    ASSERT_EQ(db->size(), 1u);
    EXPECT_EQ((*db)[0].network, "default");
}

TEST(ServicePorts, ShortAndLongSyntaxRangesAndRandomPorts) {
    auto p = test_support::load_project(R"(name: demo
services:
  web:
    image: busybox
    ports:
      - "8080:80"
      - "127.0.0.1::53/udp"
      - "9000-9001:90-91"
      - "5000"
      - "6000-6010:60"
      - target: 443
        published: "8443"
        host_ip: 10.0.0.1
        protocol: tcp
)");
    auto ports = scheduler::service_ports(*p.service("web"));
    ASSERT_TRUE(ports) << ports.error().message();
    ASSERT_EQ(ports->size(), 7u);
    auto is = [&](std::size_t i, const char* proto, const char* ip, int from, int to, int target) {
        const auto& x = (*ports)[i];
        EXPECT_EQ(x.protocol, proto) << i;
        EXPECT_EQ(x.host_ip, ip) << i;
        EXPECT_EQ(x.host_from, from) << i;
        EXPECT_EQ(x.host_to, to) << i;
        EXPECT_EQ(x.container_port, target) << i;
    };
    is(0, "tcp", "", 8080, 8080, 80);
    is(1, "udp", "127.0.0.1", 0, 0, 53);
    is(2, "tcp", "", 9000, 9000, 90);
    is(3, "tcp", "", 9001, 9001, 91);
    is(4, "tcp", "", 0, 0, 5000);
    is(5, "tcp", "", 6000, 6010, 60);
    is(6, "tcp", "10.0.0.1", 8443, 8443, 443);
}

TEST(ServicePorts, BadPortsAreNamed) {
    compose::Node service = compose::Node::mapping();
    compose::Node ports = compose::Node::sequence();
    compose::Node entry = compose::Node::mapping();
    entry.set("target", compose::Node::integer(80));
    entry.set("published", compose::Node::string("70000"));
    ports.items.push_back(entry);
    service.set("ports", ports);
    auto r = scheduler::service_ports(service);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message(), "ports: published \"70000\" is not a port (1 to 65535)");
}

// check_attachments on a project whose network `lan` has 10.9.0.0/24 (gateway 10.9.0.1).
std::string attachment_errors(const std::string& services,
                              std::vector<std::pair<std::string, int>> counts) {
    auto p = test_support::load_project("name: demo\nservices:\n" + services +
                                        "networks:\n  lan:\n    ipam:\n      config:\n"
                                        "        - subnet: 10.9.0.0/24\n  pool: {}\n");
    auto specs = scheduler::network_specs(p);
    if (!specs) return "specs: " + specs.error().message();
    std::vector<scheduler::ServiceCount> in;
    for (const auto& [name, n] : counts) in.push_back({name, p.service(name), n});
    auto r = scheduler::check_attachments(*specs, in);
    return r ? std::string() : r.error().message();
}

TEST(CheckAttachments, StaticAddressesAndMacs) {
    const std::string one =
        "  one:\n    image: busybox\n    networks:\n      lan:\n"
        "        ipv4_address: 10.9.0.5\n";
    const std::string two =
        "  two:\n    image: busybox\n    networks:\n      lan:\n"
        "        ipv4_address: ";
    EXPECT_EQ(attachment_errors(one + two + "10.9.0.6\n", {{"one", 1}, {"two", 1}}), "");
    // One address for two containers is check_project_networks' (scheduler_network_checks_test).
    EXPECT_EQ(attachment_errors(one + two + "10.9.0.5\n", {{"one", 1}, {"two", 1}}), "");
    EXPECT_EQ(attachment_errors(two + "10.8.0.5\n", {{"two", 1}}),
              "service \"two\": network \"lan\": address 10.8.0.5 is not in subnet 10.9.0.0/24");
    EXPECT_EQ(attachment_errors(two + "10.9.0.1\n", {{"two", 1}}),
              "service \"two\": network \"lan\": address 10.9.0.1 is reserved (the gateway or "
              "an aux address)");
    // A network without ipam.config gets its subnet when made: nothing to check against yet.
    EXPECT_EQ(attachment_errors("  three:\n    image: busybox\n    networks:\n      pool:\n"
                                "        ipv4_address: 10.7.0.5\n",
                                {{"three", 1}}),
              "");
    EXPECT_EQ(attachment_errors("  four:\n    image: busybox\n    networks:\n      lan:\n"
                                "        mac_address: 01:00:5e:00:00:01\n",
                                {{"four", 1}}),
              "service \"four\": network \"lan\": invalid MAC address \"01:00:5e:00:00:01\" "
              "(six hex pairs, unicast, not all zero)");
}

}  // namespace
