// Domain names in wire form: presentation round trips, the 63/255 limits, ASCII-only case folding,
// and the reverse names of PTR queries for IPv4 and IPv6.
#include <gtest/gtest.h>

#include <string>

#include "dns/wire.hpp"
#include "dns_wire_helpers.hpp"

using namespace berth::dns;
using berth::dns::test::name;

namespace {

std::string wire_of(const Name& n) {
    return {reinterpret_cast<const char*>(n.wire().data()), n.wire_size()};
}

TEST(DnsName, PresentationRoundTrip) {
    Name n = name("web.demo_default.");
    EXPECT_EQ(n.label_count(), 2u);
    EXPECT_EQ(n.label(0), "web");
    EXPECT_EQ(n.label(1), "demo_default");
    EXPECT_EQ(wire_of(n), std::string("\3web\14demo_default\0", 18));
    EXPECT_EQ(to_string(n), "web.demo_default.");
    // The final dot is optional on input and always there on output.
    EXPECT_EQ(to_string(name("web.demo_default")), "web.demo_default.");
    EXPECT_EQ(to_string(name("Web.Demo_Default")), "Web.Demo_Default.");
}

TEST(DnsName, RootForms) {
    for (const char* root : {"", "."}) {
        Name n = name(root);
        EXPECT_TRUE(n.is_root());
        EXPECT_EQ(n.wire_size(), 1u);
        EXPECT_EQ(to_string(n), ".");
    }
    EXPECT_TRUE(Name().is_root());
}

TEST(DnsName, EscapesRoundTrip) {
    Name n = name("a\\.b.c\\\\d.\\000\\255x");
    ASSERT_EQ(n.label_count(), 3u);
    EXPECT_EQ(n.label(0), "a.b");
    EXPECT_EQ(n.label(1), "c\\d");
    EXPECT_EQ(n.label(2), std::string("\0\xffx", 3));
    EXPECT_EQ(to_string(n), "a\\.b.c\\\\d.\\000\\255x.");
    EXPECT_EQ(to_string(name(to_string(n))), to_string(n));
    EXPECT_EQ(to_string(name("a\\ b")), "a\\032b.");
}

TEST(DnsName, RejectsMalformedPresentation) {
    for (const char* bad : {"a..b", ".a", "..", "a\\", "a\\25", "a\\256", "a\\2x5"}) {
        EXPECT_FALSE(parse_name(bad).ok()) << bad;
    }
}

TEST(DnsName, LabelAndNameLimits) {
    std::string l63(63, 'a');
    EXPECT_TRUE(parse_name(l63 + ".x").ok());
    auto too_long = parse_name(std::string(64, 'a') + ".x");
    ASSERT_FALSE(too_long.ok());
    EXPECT_NE(too_long.error().message().find("63"), std::string::npos);

    // Four 63-byte labels take 4*64 + 1 = 257 wire bytes; three plus a 61-byte one take 255.
    std::string max = l63 + "." + l63 + "." + l63 + "." + std::string(61, 'b');
    Name n = name(max);
    EXPECT_EQ(n.wire_size(), 255u);
    EXPECT_FALSE(parse_name(max + "b").ok());
    EXPECT_FALSE(n.append_label("c"));
    EXPECT_EQ(n.wire_size(), 255u) << "a refused label must leave the name as it was";

    // 127 one-byte labels are the most a name can hold.
    Name many;
    for (int i = 0; i < 127; ++i) ASSERT_TRUE(many.append_label("x")) << i;
    EXPECT_EQ(many.wire_size(), 255u);
    EXPECT_FALSE(many.append_label("x"));
    EXPECT_FALSE(Name().append_label(""));
}

TEST(DnsName, ComparisonFoldsAsciiCaseOnly) {
    EXPECT_TRUE(name("WEB.Demo_default.").equals(name("web.demo_DEFAULT")));
    EXPECT_FALSE(name("web.demo").equals(name("web.demo.x")));
    EXPECT_FALSE(name("web").equals(name("wec")));
    // Bytes above 0x7f are not letters: \196 (Ä in Latin-1) and \228 (ä) differ.
    EXPECT_FALSE(name("\\196").equals(name("\\228")));
    EXPECT_EQ(to_string(name("WeB.DeMo.").lowered()), "web.demo.");
    EXPECT_EQ(to_lower_ascii("Web-1.DEMO_default"), "web-1.demo_default");
}

TEST(DnsName, EndsWithMatchesWholeLabels) {
    Name n = name("web.Demo_Default.");
    EXPECT_TRUE(n.ends_with(name("demo_default")));
    EXPECT_TRUE(n.ends_with(name("web.demo_default")));
    EXPECT_TRUE(n.ends_with(Name()));
    EXPECT_FALSE(n.ends_with(name("o_default")));
    EXPECT_FALSE(n.ends_with(name("x.web.demo_default")));
    EXPECT_FALSE(Name().ends_with(name("a")));
}

TEST(DnsReverse, Ipv4BothWays) {
    Name n = reverse_name(IpAddress::v4(172, 17, 0, 2));
    EXPECT_EQ(to_string(n), "2.0.17.172.in-addr.arpa.");
    auto ip = parse_reverse_name(n);
    ASSERT_TRUE(ip);
    EXPECT_EQ(*ip, IpAddress::v4(172, 17, 0, 2));
    auto upper = parse_reverse_name(name("255.0.10.1.IN-ADDR.Arpa"));
    ASSERT_TRUE(upper);
    EXPECT_EQ(*upper, IpAddress::v4(1, 10, 0, 255));
}

TEST(DnsReverse, Ipv6NibblesBothWays) {
    IpAddress ip;
    ip.v6 = true;
    // fd00:dead:beef::1:2
    const std::uint8_t bytes[16] = {0xfd, 0x00, 0xde, 0xad, 0xbe, 0xef, 0, 0,
                                    0,    0,    0,    0,    0,    1,    0, 2};
    std::copy(std::begin(bytes), std::end(bytes), ip.bytes.begin());
    Name n = reverse_name(ip);
    EXPECT_EQ(to_string(n),
              "2.0.0.0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.f.e.e.b.d.a.e.d.0.0.d.f.ip6.arpa.");
    auto back = parse_reverse_name(n);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, ip);
    auto upper = parse_reverse_name(
        name("2.0.0.0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.F.E.E.B.D.A.E.D.0.0.D.F.IP6.ARPA."));
    ASSERT_TRUE(upper);
    EXPECT_EQ(*upper, ip);
}

TEST(DnsReverse, NotAnAddress) {
    for (const char* text : {
             "17.172.in-addr.arpa",        // a zone, not a host
             "1.2.0.17.172.in-addr.arpa",  // five octets
             "02.0.17.172.in-addr.arpa",   // leading zero
             "256.0.17.172.in-addr.arpa",  // over 255
             "-1.0.17.172.in-addr.arpa",   //
             "2.0.17.172.in-addr.arpa.x",  // not under arpa
             "2.0.17.172.ip6.arpa",        //
             "web.demo_default",           //
             "0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa",  // 31
             "00.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa",
             "g.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa",
         }) {
        EXPECT_FALSE(parse_reverse_name(name(text))) << text;
    }
}

TEST(DnsReverse, EveryIpv4OctetRoundTrips) {
    for (unsigned v = 0; v < 256; ++v) {
        auto b = static_cast<std::uint8_t>(v);
        IpAddress ip = IpAddress::v4(b, static_cast<std::uint8_t>(255 - v), 0, b);
        auto back = parse_reverse_name(reverse_name(ip));
        ASSERT_TRUE(back) << v;
        EXPECT_EQ(*back, ip);
    }
}

}  // namespace
