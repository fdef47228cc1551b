#include "compose/ports.hpp"

#include <gtest/gtest.h>

using namespace berth::compose;

namespace {

PortConfig port(std::uint32_t target, std::string published = "", std::string host_ip = "",
                std::string protocol = "tcp") {
    PortConfig p;
    p.target = target;
    p.published = std::move(published);
    p.host_ip = std::move(host_ip);
    p.protocol = std::move(protocol);
    return p;
}

std::vector<PortConfig> parse(const char* spec) {
    auto r = parse_port_spec(spec);
    EXPECT_TRUE(r.ok()) << spec << ": " << (r.ok() ? "" : r.error().message());
    return r.ok() ? *r : std::vector<PortConfig>{};
}

std::string error_of(const char* spec) {
    auto r = parse_port_spec(spec);
    return r.ok() ? "" : r.error().message();
}

}  // namespace

TEST(Ports, ContainerPortOnly) {
    EXPECT_EQ(parse("3000"), std::vector<PortConfig>{port(3000)});
    EXPECT_EQ(parse("8600"), std::vector<PortConfig>{port(8600)});
}

TEST(Ports, RangeOfContainerPorts) {
    auto ports = parse("3001-3005");
    ASSERT_EQ(ports.size(), 5u);
    for (std::uint32_t i = 0; i < 5; ++i) EXPECT_EQ(ports[i], port(3001 + i));
}

TEST(Ports, HostAndContainer) {
    EXPECT_EQ(parse("8000:8000"), std::vector<PortConfig>{port(8000, "8000")});
    EXPECT_EQ(parse("49100:22"), std::vector<PortConfig>{port(22, "49100")});
    EXPECT_EQ(parse("80:8080"), std::vector<PortConfig>{port(8080, "80")});
}

TEST(Ports, Protocol) {
    EXPECT_EQ(parse("90:8090/udp"), std::vector<PortConfig>{port(8090, "90", "", "udp")});
    EXPECT_EQ(parse("53/UDP"), std::vector<PortConfig>{port(53, "", "", "udp")});
    EXPECT_EQ(parse("80/"), std::vector<PortConfig>{port(80)});
    EXPECT_EQ(parse("132/sctp"), std::vector<PortConfig>{port(132, "", "", "sctp")});
}

TEST(Ports, MatchingRanges) {
    EXPECT_EQ(parse("9090-9091:8080-8081"),
              (std::vector<PortConfig>{port(8080, "9090"), port(8081, "9091")}));
    EXPECT_EQ(parse("80-82:8080-8082"),
              (std::vector<PortConfig>{port(8080, "80"), port(8081, "81"), port(8082, "82")}));
}

TEST(Ports, HostIp) {
    EXPECT_EQ(parse("127.0.0.1:8001:8001"),
              std::vector<PortConfig>{port(8001, "8001", "127.0.0.1")});
    EXPECT_EQ(parse("127.0.0.1:8080:80"), std::vector<PortConfig>{port(80, "8080", "127.0.0.1")});
    EXPECT_EQ(parse("0.0.0.0::80"), std::vector<PortConfig>{port(80, "", "0.0.0.0")});
    auto ports = parse("127.0.0.1:5000-5010:5000-5010");
    ASSERT_EQ(ports.size(), 11u);
    for (std::uint32_t i = 0; i <= 10; ++i) {
        EXPECT_EQ(ports[i], port(5000 + i, std::to_string(5000 + i), "127.0.0.1"));
    }
}

TEST(Ports, Ipv6HostIp) {
    EXPECT_EQ(parse("[::1]:80:80"), std::vector<PortConfig>{port(80, "80", "::1")});
    EXPECT_EQ(parse("[2001:db8::1]:8080:80/udp"),
              std::vector<PortConfig>{port(80, "8080", "2001:db8::1", "udp")});
}

TEST(Ports, HostRangeForOneContainerPort) {
    EXPECT_EQ(parse("8000-8010:80"), std::vector<PortConfig>{port(80, "8000-8010")});
}

TEST(Ports, RangeSortedAsStrings) {
    auto ports = parse("998-1001");
    ASSERT_EQ(ports.size(), 4u);
    EXPECT_EQ(ports[0].target, 1000u);
    EXPECT_EQ(ports[1].target, 1001u);
    EXPECT_EQ(ports[2].target, 998u);
    EXPECT_EQ(ports[3].target, 999u);
}

TEST(Ports, Errors) {
    EXPECT_EQ(error_of("127.0.1:8080:80"), "Invalid ip address: 127.0.1");
    EXPECT_EQ(error_of("80:80:80:80"),
              "Invalid ip address 80:80: address 80:80:: too many colons in address");
    EXPECT_EQ(error_of("9090-9092:8080-8081"),
              "Invalid ranges specified for container and host Ports: 8080-8081 and 9090-9092");
    EXPECT_EQ(error_of("abc"), "Invalid containerPort: abc");
    EXPECT_EQ(error_of("x:80"), "Invalid hostPort: x");
    EXPECT_EQ(error_of("80/foo"), "Invalid proto: foo");
    EXPECT_EQ(error_of("70000"), "Invalid containerPort: 70000");
    EXPECT_EQ(error_of("90-80"), "Invalid containerPort: 90-80");
    EXPECT_EQ(error_of("8080:"), "No port specified: 8080:<empty>");
    EXPECT_EQ(error_of(""), "No port specified: <empty>");
    EXPECT_EQ(error_of("[::1:80:80"),
              "Invalid ip address [::1: address [::1:: missing ']' in address");
    EXPECT_EQ(error_of("[::1]x:80:80"),
              "Invalid ip address [::1]x: address [::1]x:: missing port in address");
    EXPECT_EQ(error_of("[::1]:8:80:80"),
              "Invalid ip address [::1]:8: address [::1]:8:: too many colons in address");
    EXPECT_EQ(error_of("a[b:80:80"),
              "Invalid ip address a[b: address a[b:: unexpected '[' in address");
}
