#include <gtest/gtest.h>

#include "port_lookup.hpp"

using namespace berth::cli;
using nlohmann::json;

namespace {

// GET /v1/projects/demo/containers?fields=Name,Service,Number,OneOff,Publishers
const json kContainers = json::parse(R"([
  {"Name":"demo-web-1","Service":"web","Number":1,"OneOff":false,"Publishers":[
     {"URL":"0.0.0.0","TargetPort":80,"PublishedPort":8080,"Protocol":"tcp"},
     {"URL":"::","TargetPort":80,"PublishedPort":8080,"Protocol":"tcp"},
     {"URL":"127.0.0.1","TargetPort":53,"PublishedPort":5353,"Protocol":"udp"},
     {"URL":"","TargetPort":9000,"PublishedPort":0,"Protocol":"tcp"}]},
  {"Name":"demo-web-2","Service":"web","Number":2,"OneOff":false,"Publishers":[
     {"URL":"0.0.0.0","TargetPort":80,"PublishedPort":32768,"Protocol":"tcp"}]},
  {"Name":"demo-web-run-1a2b","Service":"web","Number":3,"OneOff":true,"Publishers":[
     {"URL":"0.0.0.0","TargetPort":80,"PublishedPort":40000,"Protocol":"tcp"}]},
  {"Name":"demo-db-1","Service":"db","Number":1,"OneOff":false,"Publishers":[]}
])");

std::string lookup(PortQuery q) {
    auto r = published_address(kContainers, q);
    return r ? *r : "ERROR: " + r.error().message();
}

}  // namespace

TEST(CliPort, FirstPublisherOfThePortAndProtocol) {
    EXPECT_EQ(lookup({"web", 1, 80, "tcp"}), "0.0.0.0:8080");
    EXPECT_EQ(lookup({"web", 1, 53, "udp"}), "127.0.0.1:5353");
    EXPECT_EQ(lookup({"web", 1, 53, "UDP"}), "127.0.0.1:5353");
    // An exposed port that is not published prints as docker compose prints it.
    EXPECT_EQ(lookup({"web", 1, 9000, "tcp"}), ":0");
}

TEST(CliPort, ReplicaByIndex) {
    EXPECT_EQ(lookup({"web", 2, 80, "tcp"}), "0.0.0.0:32768");
    // One-off containers (`run`) are not replicas.
    EXPECT_EQ(lookup({"web", 3, 80, "tcp"}), "ERROR: no container found for web-3");
    EXPECT_EQ(lookup({"api", 1, 80, "tcp"}), "ERROR: no container found for api-1");
}

TEST(CliPort, ComposesMessageForAMissingPort) {
    EXPECT_EQ(lookup({"web", 1, 81, "tcp"}),
              "ERROR: no port 81/tcp for container demo-web-1: 80/tcp, 53/udp, 9000/tcp");
    EXPECT_EQ(lookup({"web", 1, 80, "udp"}),
              "ERROR: no port 80/udp for container demo-web-1: 80/tcp, 53/udp, 9000/tcp");
    EXPECT_EQ(lookup({"db", 1, 5432, "tcp"}), "ERROR: no port 5432/tcp for container demo-db-1");
}

TEST(CliPort, PublishersMayBeAbsent) {
    json list = json::parse(R"([{"Name":"demo-x-1","Service":"x","Number":1}])");
    auto r = published_address(list, {"x", 1, 80, "tcp"});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message(), "no port 80/tcp for container demo-x-1");
    EXPECT_FALSE(published_address(json::object(), {"x", 1, 80, "tcp"}));
}

TEST(CliPort, PrivatePortParsesLikeCompose) {
    EXPECT_EQ(*parse_private_port("80"), 80);
    EXPECT_EQ(*parse_private_port("0"), 0);
    EXPECT_EQ(*parse_private_port("65535"), 65535);
    EXPECT_EQ(*parse_private_port("0000000080"), 80);
    EXPECT_EQ(parse_private_port("65536").error().message(),
              "strconv.ParseUint: parsing \"65536\": value out of range");
    EXPECT_EQ(parse_private_port("1234567").error().message(),
              "strconv.ParseUint: parsing \"1234567\": value out of range");
    EXPECT_EQ(parse_private_port("80/tcp").error().message(),
              "strconv.ParseUint: parsing \"80/tcp\": invalid syntax");
    EXPECT_EQ(parse_private_port("").error().message(),
              "strconv.ParseUint: parsing \"\": invalid syntax");
    EXPECT_EQ(parse_private_port("-1").error().message(),
              "strconv.ParseUint: parsing \"-1\": invalid syntax");
}
