// The wire codec's responses: compression, EDNS0, error codes, truncation and limits, read back
// by a separate test-side decoder.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "dns/wire.hpp"
#include "dns_wire_helpers.hpp"
#include "dns_wire_support.hpp"

using namespace berth::dns;
using namespace berth::dns::test;

namespace {

TEST(DnsWireBuild, AnswersRoundTripWithCompression) {
    Query q = query_of(make_query("Web.Demo_default", 1, 0x4242));
    std::array<std::uint8_t, 512> buf{};
    ResponseBuilder rb(buf, response_limit(q, Transport::Udp));
    ASSERT_TRUE(rb.start(q, Rcode::NoError));
    Name owner = name("web.demo_default");  // other case: the echo uses the question's
    ASSERT_TRUE(rb.add_a(owner, 0, {172, 18, 0, 2}));
    ASSERT_TRUE(rb.add_a(owner, 0, {172, 18, 0, 3}));
    std::size_t n = rb.finish();
    Bytes out(buf.begin(), buf.begin() + static_cast<long>(n));

    Decoded d = decode(out);
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.id, 0x4242u);
    EXPECT_EQ(d.flags, 0x8000u | 0x0400u | 0x0100u | 0x0080u) << "QR AA RD RA, NOERROR";
    EXPECT_EQ(d.qname, "Web.Demo_default.");
    ASSERT_EQ(d.records.size(), 2u);
    EXPECT_EQ(d.records[0].name, "Web.Demo_default.");
    EXPECT_EQ(d.records[0].type, 1u);
    EXPECT_EQ(d.records[0].klass, 1u);
    EXPECT_EQ(d.records[1].rdata, (Bytes{172, 18, 0, 3}));
    // Header 12, question 18 + 4, then two answers of pointer 2 + 10 + 4.
    EXPECT_EQ(n, 12u + 22u + 2u * 16u);
    EXPECT_EQ(out[34], 0xc0);
    EXPECT_EQ(out[35], 12);
}

TEST(DnsWireBuild, PtrTargetsShareSuffixes) {
    Name rev = reverse_name(IpAddress::v4(172, 18, 0, 2));
    Bytes qb;
    put_header(qb, 5, 0x0100, 1);
    qb.insert(qb.end(), rev.wire().begin(), rev.wire().end());
    put16(qb, 12);
    put16(qb, 1);
    Query q = query_of(qb);
    std::array<std::uint8_t, 512> buf{};
    ResponseBuilder rb(buf, 512);
    ASSERT_TRUE(rb.start(q, Rcode::NoError));
    ASSERT_TRUE(rb.add_ptr(q.question.name, 0, name("demo-web-1.demo_default")));
    ASSERT_TRUE(rb.add_ptr(q.question.name, 0, name("web.demo_default")));
    std::size_t n = rb.finish();
    Bytes out(buf.begin(), buf.begin() + static_cast<long>(n));
    Decoded d = decode(out);
    ASSERT_TRUE(d.ok);
    ASSERT_EQ(d.records.size(), 2u);
    EXPECT_EQ(d.records[0].type, 12u);
    EXPECT_EQ(d.records[0].rdata_name, "demo-web-1.demo_default.");
    EXPECT_EQ(d.records[1].rdata_name, "web.demo_default.");
    // The second target is "web" plus a pointer to the first's "demo_default": 4 + 2 bytes.
    EXPECT_EQ(d.records[1].rdata.size(), 6u);
}

TEST(DnsWireBuild, AaaaAndCname) {
    Query q = query_of(make_query("db", 28));
    std::array<std::uint8_t, 512> buf{};
    ResponseBuilder rb(buf, 512);
    ASSERT_TRUE(rb.start(q, Rcode::NoError, ResponseFlags{false, true}));
    ASSERT_TRUE(rb.add_cname(q.question.name, 5, name("db.demo_default")));
    IpAddress ip;
    ip.v6 = true;
    ip.bytes[0] = 0xfd;
    ip.bytes[15] = 2;
    ASSERT_TRUE(rb.add_address(name("db.demo_default"), 5, ip));
    ASSERT_TRUE(rb.add_address(name("db.demo_default"), 5, IpAddress::v4(10, 0, 0, 2)));
    Bytes out(buf.begin(), buf.begin() + static_cast<long>(rb.finish()));
    Decoded d = decode(out);
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.flags & 0x0400u, 0u) << "AA off when asked";
    ASSERT_EQ(d.records.size(), 3u);
    EXPECT_EQ(d.records[0].type, 5u);
    EXPECT_EQ(d.records[0].rdata_name, "db.demo_default.");
    EXPECT_EQ(d.records[1].type, 28u);
    EXPECT_EQ(d.records[1].name, "db.demo_default.");
    EXPECT_EQ(d.records[1].rdata.size(), 16u);
    EXPECT_EQ(d.records[1].rdata[15], 2);
    EXPECT_EQ(d.records[2].type, 1u);
    EXPECT_EQ(d.records[2].ttl, 5u);
    EXPECT_EQ(d.records[2].rdata, (Bytes{10, 0, 0, 2}));
}

TEST(DnsWireBuild, ErrorRcodesEchoTheQuestion) {
    for (Rcode rc :
         {Rcode::NXDomain, Rcode::ServFail, Rcode::Refused, Rcode::NotImp, Rcode::FormErr}) {
        Query q = query_of(make_query("nope", 1, 77, std::nullopt, 0));  // RD clear
        std::array<std::uint8_t, 512> buf{};
        ResponseBuilder rb(buf, 512);
        ASSERT_TRUE(rb.start(q, rc));
        Bytes out(buf.begin(), buf.begin() + static_cast<long>(rb.finish()));
        Decoded d = decode(out);
        ASSERT_TRUE(d.ok);
        EXPECT_EQ(d.flags & 0x0f, static_cast<unsigned>(rc));
        EXPECT_EQ(d.flags & 0x0100u, 0u) << "RD copied (clear)";
        EXPECT_EQ(d.qname, "nope.");
        EXPECT_EQ(d.an, 0u);
    }
}

TEST(DnsWireBuild, HeaderOnlyReplyForUnreadableBody) {
    Bytes bad = make_query("web", 1, 0x0a0b);
    bad.push_back(0);  // trailing byte: FORMERR
    QueryParse p = parse_query(bad);
    ASSERT_EQ(static_cast<int>(p.status), static_cast<int>(ParseStatus::FormErr));
    std::array<std::uint8_t, 12> buf{};
    ASSERT_EQ(build_header_only(p.query.header, Rcode::FormErr, buf), 12u);
    Decoded d = decode(Bytes(buf.begin(), buf.end()));
    EXPECT_EQ(d.id, 0x0a0bu);
    EXPECT_EQ(d.flags, 0x8000u | 0x0100u | 0x0080u | 1u);
    EXPECT_EQ(d.qd + d.an + d.ns + d.ar, 0u);
    std::array<std::uint8_t, 11> small{};
    EXPECT_EQ(build_header_only(p.query.header, Rcode::FormErr, small), 0u);
}

TEST(DnsWireBuild, OptEchoedWithOurSizeAndDoBit) {
    Query q = query_of(make_query("web", 1, 1, OptSpec{4096, 0, true}));
    std::array<std::uint8_t, 1232> buf{};
    ResponseBuilder rb(buf, response_limit(q, Transport::Udp));
    ASSERT_TRUE(rb.start(q, Rcode::NoError));
    ASSERT_TRUE(rb.add_a(q.question.name, 0, {1, 2, 3, 4}));
    Bytes out(buf.begin(), buf.begin() + static_cast<long>(rb.finish()));
    Decoded d = decode(out);
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.ar, 1u);
    ASSERT_EQ(d.records.size(), 2u);
    const DecodedRecord& opt = d.records[1];
    EXPECT_EQ(opt.name, ".");
    EXPECT_EQ(opt.type, 41u);
    EXPECT_EQ(opt.klass, 1232u);
    EXPECT_EQ(opt.ttl, 0x8000u) << "version 0, DO echoed";

    q = query_of(make_query("web", 1, 1, OptSpec{4096, 0, false}));
    ResponseBuilder plain(buf, 1232);
    ASSERT_TRUE(plain.start(q, Rcode::NoError));
    d = decode(Bytes(buf.begin(), buf.begin() + static_cast<long>(plain.finish())));
    ASSERT_EQ(d.records.size(), 1u);
    EXPECT_EQ(d.records[0].ttl, 0u);
}

TEST(DnsWireBuild, BadVersCarriesItsUpperBitsInOpt) {
    Query q = query_of(make_query("web", 1, 1, OptSpec{1232, 1, false}));
    EXPECT_EQ(q.edns.version, 1);
    std::array<std::uint8_t, 512> buf{};
    ResponseBuilder rb(buf, 512);
    ASSERT_TRUE(rb.start(q, Rcode::BadVers));
    Decoded d = decode(Bytes(buf.begin(), buf.begin() + static_cast<long>(rb.finish())));
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.flags & 0x0f, 0u);  // 16 = 0x10: low 4 bits in the header
    ASSERT_EQ(d.records.size(), 1u);
    EXPECT_EQ(d.records[0].ttl >> 24, 1u) << "upper 8 bits in the OPT TTL";
}

TEST(DnsWireBuild, BadVersWithoutEdnsBecomesFormErr) {
    Query q = query_of(make_query("web", 1));
    std::array<std::uint8_t, 512> buf{};
    ResponseBuilder rb(buf, 512);
    ASSERT_TRUE(rb.start(q, Rcode::BadVers));
    Decoded d = decode(Bytes(buf.begin(), buf.begin() + static_cast<long>(rb.finish())));
    EXPECT_EQ(d.flags & 0x0f, 1u);
    EXPECT_EQ(d.ar, 0u);
}

TEST(DnsWireBuild, BuilderCanBeReusedForTheNextReply) {
    Query with_edns = query_of(make_query("web", 1, 1, OptSpec{1232}));
    Query plain = query_of(make_query("db", 1, 2));
    std::array<std::uint8_t, 1232> buf{};
    ResponseBuilder rb(buf, 1232);
    for (int round = 0; round < 3; ++round) {
        ASSERT_TRUE(rb.start(with_edns, Rcode::NoError));
        int fitted = 0;
        for (int i = 0; i < 100; ++i) fitted += rb.add_a(with_edns.question.name, 0, {1, 2, 3, 4});
        EXPECT_EQ(fitted, 75) << "the OPT room is kept once, not once per start";
        EXPECT_LE(rb.finish(), 1232u);
        ASSERT_TRUE(rb.start(plain, Rcode::NXDomain));
        Decoded d = decode(Bytes(buf.begin(), buf.begin() + static_cast<long>(rb.finish())));
        ASSERT_TRUE(d.ok);
        EXPECT_EQ(d.id, 2u);
        EXPECT_EQ(d.flags & 0x020f, 3u) << "NXDOMAIN, TC cleared";
        EXPECT_EQ(d.an + d.ar, 0u);
        EXPECT_EQ(d.qname, "db.");
    }
}

TEST(DnsWireBuild, ResponseLimits) {
    EXPECT_EQ(response_limit(query_of(make_query("a", 1)), Transport::Udp), 512u);
    EXPECT_EQ(response_limit(query_of(make_query("a", 1)), Transport::Tcp), 65535u);
    EXPECT_EQ(response_limit(query_of(make_query("a", 1, 1, OptSpec{4096})), Transport::Udp),
              1232u);
    EXPECT_EQ(response_limit(query_of(make_query("a", 1, 1, OptSpec{800})), Transport::Udp), 800u);
    EXPECT_EQ(response_limit(query_of(make_query("a", 1, 1, OptSpec{100})), Transport::Udp), 512u);
    EXPECT_EQ(response_limit(query_of(make_query("a", 1, 1, OptSpec{4096})), Transport::Tcp),
              65535u);
}

// A service with 40 replicas: 40 A records of 16 bytes do not fit in 512 after a 40-byte
// question, so the UDP answer is empty with TC, and the TCP one has them all.
TEST(DnsWireBuild, TruncationAt512WithManyARecords) {
    const std::string qname = "service-with-replicas.demo_default";
    Query q = query_of(make_query(qname, 1));
    std::array<std::uint8_t, 65535> buf{};

    ResponseBuilder udp(buf, response_limit(q, Transport::Udp));
    ASSERT_TRUE(udp.start(q, Rcode::NoError));
    int added = 0;
    for (std::uint8_t i = 1; i <= 40; ++i) added += udp.add_a(q.question.name, 0, {10, 0, 0, i});
    EXPECT_TRUE(udp.truncated());
    EXPECT_LT(added, 40);
    EXPECT_GT(added, 20) << "the first ones fitted before truncation dropped them";
    std::size_t n = udp.finish();
    EXPECT_LE(n, 512u);
    Decoded d = decode(Bytes(buf.begin(), buf.begin() + static_cast<long>(n)));
    ASSERT_TRUE(d.ok);
    EXPECT_NE(d.flags & 0x0200u, 0u) << "TC";
    EXPECT_EQ(d.an, 0u);
    EXPECT_EQ(d.qname, qname + ".");
    EXPECT_FALSE(udp.add_a(q.question.name, 0, {1, 1, 1, 1}));

    ResponseBuilder tcp(buf, response_limit(q, Transport::Tcp));
    ASSERT_TRUE(tcp.start(q, Rcode::NoError));
    for (std::uint8_t i = 1; i <= 40; ++i)
        ASSERT_TRUE(tcp.add_a(q.question.name, 0, {10, 0, 0, i}));
    n = tcp.finish();
    d = decode(Bytes(buf.begin(), buf.begin() + static_cast<long>(n)));
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.flags & 0x0200u, 0u);
    EXPECT_EQ(d.an, 40u);
}

TEST(DnsWireBuild, EdnsTruncationKeepsRoomForOpt) {
    Query q = query_of(make_query("web", 1, 1, OptSpec{1232}));
    std::array<std::uint8_t, 2048> buf{};
    ResponseBuilder rb(buf, response_limit(q, Transport::Udp));
    ASSERT_TRUE(rb.start(q, Rcode::NoError));
    int fitted = 0;
    for (int i = 0; i < 200; ++i) fitted += rb.add_a(q.question.name, 0, {10, 0, 0, 1});
    // 1232 - 11 (OPT) - 12 - 9 (question) = 1200 bytes, 16 per answer: 75 answers fitted.
    EXPECT_EQ(fitted, 75);
    std::size_t n = rb.finish();
    EXPECT_LE(n, 1232u);
    Decoded d = decode(Bytes(buf.begin(), buf.begin() + static_cast<long>(n)));
    ASSERT_TRUE(d.ok);
    EXPECT_NE(d.flags & 0x0200u, 0u);
    EXPECT_EQ(d.an, 0u);
    ASSERT_EQ(d.records.size(), 1u);
    EXPECT_EQ(d.records[0].type, 41u) << "the OPT record survives truncation";
}

TEST(DnsWireBuild, ExactFitIsNotTruncated) {
    Query q = query_of(make_query("web", 1));
    // 12 + 9 + 2 answers of 16 = 53 bytes.
    std::array<std::uint8_t, 53> buf{};
    ResponseBuilder rb(buf, 512);  // the buffer caps the limit
    ASSERT_TRUE(rb.start(q, Rcode::NoError));
    EXPECT_TRUE(rb.add_a(q.question.name, 0, {1, 1, 1, 1}));
    EXPECT_TRUE(rb.add_a(q.question.name, 0, {1, 1, 1, 2}));
    EXPECT_FALSE(rb.truncated());
    EXPECT_EQ(rb.finish(), 53u);
}

TEST(DnsWireBuild, StartFailsWhenQuestionDoesNotFit) {
    Query q = query_of(make_query(std::string(60, 'x'), 1));
    std::array<std::uint8_t, 40> buf{};
    ResponseBuilder rb(buf, 512);
    EXPECT_FALSE(rb.start(q, Rcode::NoError));
    EXPECT_FALSE(rb.add_a(q.question.name, 0, {1, 1, 1, 1}));
    EXPECT_EQ(rb.finish(), 0u);
}

// ---- forwarding ----------------------------------------------------------------------------

}  // namespace
