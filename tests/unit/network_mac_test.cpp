// MAC addresses: random ones are locally administered unicast, parsing is strict, and the
// IPv4-derived ones follow Docker's 02:42 rule.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "network/mac.hpp"

using namespace berth::network;

namespace {

int first_octet(const std::string& mac) {
    return std::stoi(mac.substr(0, 2), nullptr, 16);
}

TEST(Mac, RandomIsLocallyAdministeredUnicastInCanonicalForm) {
    std::set<std::string> seen;
    for (int i = 0; i < 64; ++i) {
        std::string mac = random_mac();
        ASSERT_EQ(parse_mac(mac), mac) << "not in canonical form: " << mac;
        EXPECT_EQ(first_octet(mac) & 0x02, 0x02) << mac;
        EXPECT_EQ(first_octet(mac) & 0x01, 0) << mac;
        seen.insert(mac);
    }
    // 40 random bits: 64 draws that collide mean the randomness is broken.
    EXPECT_EQ(seen.size(), 64u);
}

TEST(Mac, ParseAcceptsColonsOrDashesInEitherCase) {
    EXPECT_EQ(parse_mac("02:42:ac:11:00:02"), "02:42:ac:11:00:02");
    EXPECT_EQ(parse_mac("02:42:AC:11:00:02"), "02:42:ac:11:00:02");
    EXPECT_EQ(parse_mac("02-42-Ac-11-00-0F"), "02:42:ac:11:00:0f");
    EXPECT_EQ(parse_mac("00:1b:21:3c:4d:5e"), "00:1b:21:3c:4d:5e");
}

TEST(Mac, ParseRefusesMalformedMulticastAndZero) {
    for (const char* bad : {"", "02:42:ac:11:00", "02:42:ac:11:00:02:03", "02:42:ac:11:00:0g",
                            "02:42-ac:11:00:02", "02.42.ac.11.00.02", "0242ac110002",
                            "2:42:ac:11:00:02x", " 02:42:ac:11:00:02", "02:42:ac:11:00:2 "}) {
        EXPECT_FALSE(parse_mac(bad).has_value()) << bad;
    }
    EXPECT_FALSE(parse_mac("01:00:5e:00:00:01").has_value()) << "multicast";
    EXPECT_FALSE(parse_mac("ff:ff:ff:ff:ff:ff").has_value()) << "broadcast";
    EXPECT_FALSE(parse_mac("03:42:ac:11:00:02").has_value()) << "multicast bit";
    EXPECT_FALSE(parse_mac("00:00:00:00:00:00").has_value()) << "zero";
}

TEST(Mac, BridgeMacIsFixedByTheNetworkId) {
    EXPECT_EQ(bridge_mac("0cd765f43ea8deadbeef"), "02:0c:d7:65:f4:3e");
    EXPECT_EQ(bridge_mac("0CD765F43EA8"), "02:0c:d7:65:f4:3e");
    EXPECT_TRUE(parse_mac(bridge_mac("ffffffffff")));  // never multicast: the first octet is 02
}

TEST(Mac, FromIpv4IsDockersRule) {
    EXPECT_EQ(mac_from_ipv4(parse_address("172.17.0.2").value()), "02:42:ac:11:00:02");
    EXPECT_EQ(mac_from_ipv4(parse_address("10.255.1.254").value()), "02:42:0a:ff:01:fe");
    EXPECT_EQ(mac_from_ipv4(parse_address("192.168.16.3").value()), "02:42:c0:a8:10:03");
}

}  // namespace
