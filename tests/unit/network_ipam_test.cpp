// Addresses, prefixes and IPAM: Docker's pools and messages, serial allocation, the host's
// reserved networks skipped.
#include <gtest/gtest.h>

#include "network/address.hpp"
#include "network/ipam.hpp"

using namespace berth::network;

namespace {

Address addr(const char* text) {
    return parse_address(text).value();
}
Prefix prefix(const char* text) {
    return parse_prefix(text).value();
}

TEST(Address, ParsesAndPrintsBothFamilies) {
    EXPECT_EQ(to_string(addr("172.17.0.1")), "172.17.0.1");
    EXPECT_EQ(to_string(addr("fd00:0:0::1")), "fd00::1");
    EXPECT_FALSE(parse_address("172.17.0"));
    EXPECT_FALSE(parse_address("web"));
    EXPECT_EQ(to_string(next(addr("10.0.0.255"))), "10.0.1.0");
    EXPECT_EQ(to_string(next(addr("fd00::ffff"))), "fd00::1:0");
}

TEST(Prefix, RefusesHostBitsAsDockerDoes) {
    EXPECT_EQ(to_string(prefix("172.28.0.0/16")), "172.28.0.0/16");
    auto bad = parse_prefix("172.28.5.1/16");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message(), "invalid subnet 172.28.5.1/16: it should be 172.28.0.0/16");
    EXPECT_FALSE(parse_prefix("172.28.0.0/33"));
    EXPECT_FALSE(parse_prefix("172.28.0.0"));
    EXPECT_FALSE(parse_prefix("172.28.0.0/x"));
    EXPECT_EQ(to_string(prefix("fd00:1::/64")), "fd00:1::/64");
}

TEST(Prefix, ContainmentAndOverlap) {
    EXPECT_TRUE(contains(prefix("10.1.0.0/16"), addr("10.1.200.3")));
    EXPECT_FALSE(contains(prefix("10.1.0.0/16"), addr("10.2.0.1")));
    EXPECT_FALSE(contains(prefix("10.1.0.0/16"), addr("::1")));
    EXPECT_TRUE(overlaps(prefix("10.0.0.0/8"), prefix("10.1.0.0/16")));
    EXPECT_TRUE(overlaps(prefix("10.1.0.0/16"), prefix("10.0.0.0/8")));
    EXPECT_FALSE(overlaps(prefix("10.1.0.0/16"), prefix("10.2.0.0/16")));
    EXPECT_EQ(to_string(last_address(prefix("192.168.16.0/20"))), "192.168.31.255");
    EXPECT_EQ(to_string(nth_address(prefix("10.1.0.0/16"), 258)), "10.1.1.2");
}

TEST(Pools, DockersOrderSkippingWhatIsTakenOrReserved) {
    const auto& pools = default_pools();
    EXPECT_EQ(to_string(next_subnet(pools, {}, {}).value()), "172.17.0.0/16");
    EXPECT_EQ(to_string(next_subnet(pools, {prefix("172.17.0.0/16")}, {}).value()),
              "172.18.0.0/16");
    // A host route inside 172.18/16 and a nameserver in 172.19/16 push the next network on.
    EXPECT_EQ(to_string(next_subnet(pools, {prefix("172.17.0.0/16")},
                                    {prefix("172.18.3.0/24"), prefix("172.19.0.53/32")})
                            .value()),
              "172.20.0.0/16");
    // Past the /14s (172.20-172.31), 192.168.0.0/16 comes in /20s.
    std::vector<Prefix> taken = {prefix("172.16.0.0/12")};
    EXPECT_EQ(to_string(next_subnet(pools, taken, {}).value()), "192.168.0.0/20");
    taken.push_back(prefix("192.168.0.0/20"));
    EXPECT_EQ(to_string(next_subnet(pools, taken, {}).value()), "192.168.16.0/20");
    taken.push_back(prefix("192.168.0.0/16"));
    auto none = next_subnet(pools, taken, {});
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().message(), "all predefined address pools have been fully subnetted");
}

TEST(Pools, FromDaemonJson) {
    auto pool = make_pool("10.10.0.0/16", 24);
    ASSERT_TRUE(pool) << pool.error().message();
    EXPECT_EQ(to_string(next_subnet({*pool}, {prefix("10.10.0.0/24")}, {}).value()),
              "10.10.1.0/24");
    EXPECT_FALSE(make_pool("10.10.0.0/16", 8));
    EXPECT_FALSE(make_pool("10.10.0.0/16", 33));
    auto v6 = make_pool("fd00:b::/48", 64);
    ASSERT_TRUE(v6);
    EXPECT_EQ(to_string(next_subnet({*v6}, {prefix("fd00:b::/64")}, {}).value()),
              "fd00:b:0:1::/64");
}

TEST(Subnet, ComposeIpamConfig) {
    auto s = plan_subnet({"10.1.0.0/16", "10.1.5.0/24", "10.1.5.254", {{"host1", "10.1.5.5"}}});
    ASSERT_TRUE(s) << s.error().message();
    EXPECT_EQ(to_string(s->gateway), "10.1.5.254");
    EXPECT_EQ(to_string(s->range), "10.1.5.0/24");
    EXPECT_EQ(s->reserved.size(), 2u);
    auto dflt = plan_subnet({"10.1.0.0/16", "", "", {}});
    ASSERT_TRUE(dflt);
    EXPECT_EQ(to_string(dflt->gateway), "10.1.0.1");

    auto gw = plan_subnet({"10.1.0.0/16", "", "10.2.0.1", {}});
    ASSERT_FALSE(gw);
    EXPECT_EQ(gw.error().message(), "gateway 10.2.0.1 is not in subnet 10.1.0.0/16");
    EXPECT_FALSE(plan_subnet({"10.1.0.0/16", "10.2.0.0/24", "", {}}));
    EXPECT_FALSE(plan_subnet({"10.1.0.0/16", "", "", {{"h", "nope"}}}));
}

TEST(Allocate, SeriallyNeverTheGatewayNorAFreedAddressAtOnce) {
    Subnet s = default_subnet(prefix("10.1.0.0/29"));  // .0 net, .1 gw, .2-.6, .7 broadcast
    std::set<Address> used;
    auto first = allocate(s, used, std::nullopt);
    ASSERT_TRUE(first);
    EXPECT_EQ(to_string(*first), "10.1.0.2");
    used.insert(*first);
    auto second = allocate(s, used, *first);
    EXPECT_EQ(to_string(second.value()), "10.1.0.3");
    // .2 is freed; the next one is still .4, not .2 again.
    used = {*second};
    EXPECT_EQ(to_string(allocate(s, used, *second).value()), "10.1.0.4");
    // From the end of the range it wraps to the first free one.
    used = {addr("10.1.0.3")};
    EXPECT_EQ(to_string(allocate(s, used, addr("10.1.0.6")).value()), "10.1.0.2");
    // Full: .2 to .6 in use.
    used = {addr("10.1.0.2"), addr("10.1.0.3"), addr("10.1.0.4"), addr("10.1.0.5"),
            addr("10.1.0.6")};
    auto full = allocate(s, used, addr("10.1.0.6"));
    ASSERT_FALSE(full);
    EXPECT_EQ(full.error().message(), "no free address left in 10.1.0.0/29");
}

TEST(Allocate, WithinIpRangeAndInALargeV6Subnet) {
    auto s = plan_subnet({"10.1.0.0/16", "10.1.5.0/24", "", {}}).value();
    EXPECT_EQ(to_string(allocate(s, {}, std::nullopt).value()), "10.1.5.0");
    Subnet v6 = default_subnet(prefix("fd00:1::/64"));
    EXPECT_EQ(to_string(allocate(v6, {}, std::nullopt).value()), "fd00:1::2");
    EXPECT_EQ(to_string(allocate(v6, {}, addr("fd00:1::2")).value()), "fd00:1::3");
}

TEST(StaticAddress, ChecksLikeTheEngine) {
    auto s = plan_subnet({"10.1.0.0/16", "", "", {{"db", "10.1.0.10"}}}).value();
    EXPECT_TRUE(check_static(s, addr("10.1.0.100"), {}));
    EXPECT_EQ(check_static(s, addr("10.2.0.100"), {}).error().message(),
              "address 10.2.0.100 is not in subnet 10.1.0.0/16");
    EXPECT_FALSE(check_static(s, addr("10.1.0.1"), {}));      // the gateway
    EXPECT_FALSE(check_static(s, addr("10.1.0.10"), {}));     // an aux address
    EXPECT_FALSE(check_static(s, addr("10.1.255.255"), {}));  // broadcast
    EXPECT_EQ(check_static(s, addr("10.1.0.100"), {addr("10.1.0.100")}).error().message(),
              "address 10.1.0.100 is already in use");
}

}  // namespace
