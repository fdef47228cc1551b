// The wire codec's query parsing, response building (compression, EDNS0, truncation), the
// forwarder's reply checks and TCP framing, checked against a separate test-side encoder/decoder.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "dns/wire.hpp"
#include "dns_wire_support.hpp"

using namespace berth::dns;
using namespace berth::dns::test;

namespace {

Name name(const std::string& text) {
    auto n = parse_name(text);
    EXPECT_TRUE(n.ok()) << text;
    return n.ok() ? *n : Name();
}

QueryParse parse(const Bytes& b) {
    return parse_query(b);
}

Query query_of(const Bytes& b) {
    QueryParse p = parse(b);
    EXPECT_TRUE(p.ok()) << p.reason;
    return p.query;
}

// ---- parsing ---------------------------------------------------------------------------------

TEST(DnsWireParse, PlainQuery) {
    QueryParse p = parse(make_query("Web.Demo_default", 1, 0xbeef));
    ASSERT_TRUE(p.ok()) << p.reason;
    EXPECT_EQ(p.query.header.id, 0xbeef);
    EXPECT_TRUE(p.query.header.rd());
    EXPECT_EQ(p.query.header.opcode(), 0);
    EXPECT_EQ(to_string(p.query.question.name), "Web.Demo_default.") << "case is kept for the echo";
    EXPECT_EQ(p.query.question.type(), Type::A);
    EXPECT_EQ(p.query.question.qclass, kClassIN);
    EXPECT_FALSE(p.query.edns.present);
}

TEST(DnsWireParse, EdnsSizeVersionAndDoBit) {
    QueryParse p = parse(make_query("web", 28, 1, OptSpec{4096, 0, true}));
    ASSERT_TRUE(p.ok()) << p.reason;
    EXPECT_TRUE(p.query.edns.present);
    EXPECT_EQ(p.query.edns.udp_size, 4096);
    EXPECT_EQ(p.query.edns.version, 0);
    EXPECT_TRUE(p.query.edns.dnssec_ok);

    p = parse(make_query("web", 1, 1, OptSpec{100, 1, false}));
    ASSERT_TRUE(p.ok()) << p.reason;
    EXPECT_EQ(p.query.edns.udp_size, 512) << "sizes below 512 count as 512";
    EXPECT_EQ(p.query.edns.version, 1);
    EXPECT_FALSE(p.query.edns.dnssec_ok);
}

TEST(DnsWireParse, EdnsOptionsAreSkipped) {
    // A cookie option (10) of 8 bytes, as dig sends by default.
    Bytes b;
    put_header(b, 7, 0x0100, 1, 0, 0, 1);
    put_name(b, "web");
    put16(b, 1);
    put16(b, 1);
    b.push_back(0);
    put16(b, 41);
    put16(b, 1232);
    put32(b, 0);
    put16(b, 12);
    put16(b, 10);
    put16(b, 8);
    for (int i = 0; i < 8; ++i) b.push_back(static_cast<std::uint8_t>(i));
    QueryParse p = parse(b);
    ASSERT_TRUE(p.ok()) << p.reason;
    EXPECT_EQ(p.query.edns.udp_size, 1232);
}

TEST(DnsWireParse, CompressedQuestionInAdditionalRecord) {
    // A record in the additional section whose owner points back at the question name.
    Bytes b;
    put_header(b, 9, 0, 1, 0, 0, 1);
    put_name(b, "web.demo");
    put16(b, 1);
    put16(b, 1);
    put16(b, 0xc00c);
    put16(b, 1);
    put16(b, 1);
    put32(b, 0);
    put16(b, 4);
    put32(b, 0x7f000001);
    EXPECT_TRUE(parse(b).ok());
}

struct Crafted {
    const char* what;
    Bytes packet;
    ParseStatus expected;
};

std::vector<Crafted> crafted_packets() {
    std::vector<Crafted> out;
    out.push_back({"empty", {}, ParseStatus::Drop});
    out.push_back({"11 bytes", Bytes(11, 0), ParseStatus::Drop});
    {
        Bytes b;
        put_header(b, 1, 0x8180, 1);  // QR set
        put_name(b, "web");
        put16(b, 1);
        put16(b, 1);
        out.push_back({"a response", b, ParseStatus::Drop});
    }
    {
        Bytes b;
        put_header(b, 1, 0x0100, 1);
        out.push_back({"header only", b, ParseStatus::FormErr});
    }
    {
        Bytes b;
        put_header(b, 1, 0x2800, 1);  // opcode 5, UPDATE
        out.push_back({"UPDATE", b, ParseStatus::NotImp});
    }
    for (unsigned qd : {0u, 2u, 0xffffu}) {
        Bytes b = make_query("web", 1, 1);
        b[4] = static_cast<std::uint8_t>(qd >> 8);
        b[5] = static_cast<std::uint8_t>(qd);
        out.push_back({"QDCOUNT != 1", b, ParseStatus::FormErr});
    }
    {
        Bytes b;
        put_header(b, 1, 0, 1);
        put16(b, 0xc00c);  // points at itself
        put16(b, 1);
        put16(b, 1);
        out.push_back({"pointer to itself", b, ParseStatus::FormErr});
    }
    {
        Bytes b;
        put_header(b, 1, 0, 1);
        b.push_back(1);
        b.push_back('a');
        put16(b, 0xc00c);  // back to the start of its own run: a loop
        put16(b, 1);
        put16(b, 1);
        out.push_back({"pointer loop", b, ParseStatus::FormErr});
    }
    {
        Bytes b;
        put_header(b, 1, 0, 1);
        put16(b, 0xc010);  // forwards, at the label after it
        b.push_back(1);
        b.push_back('a');
        b.push_back(0);
        put16(b, 1);
        put16(b, 1);
        out.push_back({"pointer forward", b, ParseStatus::FormErr});
    }
    {
        Bytes b;
        put_header(b, 1, 0, 1);
        put16(b, 0xc000 | 5);  // backwards, into the header: legal but a nonsense name
        put16(b, 1);
        put16(b, 1);
        out.push_back({"pointer into the header", b, ParseStatus::FormErr});
    }
    {
        Bytes b;
        put_header(b, 1, 0, 1);
        b.push_back(64);
        b.insert(b.end(), 64, 'a');
        b.push_back(0);
        put16(b, 1);
        put16(b, 1);
        out.push_back({"label 64", b, ParseStatus::FormErr});
    }
    {
        Bytes b;
        put_header(b, 1, 0, 1);
        for (int i = 0; i < 4; ++i) {  // 4 * 64 + 1 = 257 wire bytes
            b.push_back(63);
            b.insert(b.end(), 63, 'a');
        }
        b.push_back(0);
        put16(b, 1);
        put16(b, 1);
        out.push_back({"name 257", b, ParseStatus::FormErr});
    }
    {
        Bytes b;
        put_header(b, 1, 0, 1);
        for (int i = 0; i < 3; ++i) {  // 3 * 64 + 63 + 1 = 256
            b.push_back(63);
            b.insert(b.end(), 63, 'a');
        }
        b.push_back(62);
        b.insert(b.end(), 62, 'a');
        b.push_back(0);
        put16(b, 1);
        put16(b, 1);
        out.push_back({"name 256", b, ParseStatus::FormErr});
    }
    {
        Bytes b = make_query("web", 1, 1);
        b[6] = b[7] = b[8] = b[9] = b[10] = b[11] = 0xff;
        out.push_back({"huge counts", b, ParseStatus::FormErr});
    }
    {
        Bytes b = make_query("web", 1, 1);
        b.pop_back();
        out.push_back({"question cut short", b, ParseStatus::FormErr});
    }
    {
        Bytes b = make_query("web", 1, 1);
        b.push_back(0);
        out.push_back({"trailing byte", b, ParseStatus::FormErr});
    }
    {
        Bytes b = make_query("web", 41, 1);
        out.push_back({"OPT as the question", b, ParseStatus::FormErr});
    }
    {
        Bytes b = make_query("web", 1, 1, OptSpec{});
        Bytes opt(b.end() - 11, b.end());
        b.insert(b.end(), opt.begin(), opt.end());
        b[11] = 2;
        out.push_back({"two OPT records", b, ParseStatus::FormErr});
    }
    {
        Bytes b = make_query("web", 1, 1, OptSpec{});
        b[7] = 1;  // the OPT counted as an answer
        b[11] = 0;
        out.push_back({"OPT in the answer section", b, ParseStatus::FormErr});
    }
    {
        Bytes b;
        put_header(b, 1, 0, 1, 0, 0, 1);
        put_name(b, "web");
        put16(b, 1);
        put16(b, 1);
        put_name(b, "x");  // OPT owned by "x."
        put16(b, 41);
        put16(b, 1232);
        put32(b, 0);
        put16(b, 0);
        out.push_back({"OPT not owned by the root", b, ParseStatus::FormErr});
    }
    {
        Bytes b = make_query("web", 1, 1, OptSpec{});
        b[b.size() - 1] = 5;  // RDLENGTH past the end
        out.push_back({"RDLENGTH past the end", b, ParseStatus::FormErr});
    }
    {
        Bytes b;
        put_header(b, 1, 0, 1);
        b.push_back(0x80);  // reserved label type
        put16(b, 1);
        put16(b, 1);
        out.push_back({"label type 0x80", b, ParseStatus::FormErr});
    }
    return out;
}

TEST(DnsWireParse, CraftedPacketsAreCategorised) {
    for (const Crafted& c : crafted_packets()) {
        QueryParse p = parse(c.packet);
        EXPECT_EQ(static_cast<int>(p.status), static_cast<int>(c.expected)) << c.what;
        EXPECT_FALSE(p.reason.empty()) << c.what;
        if (c.expected == ParseStatus::FormErr || c.expected == ParseStatus::NotImp) {
            EXPECT_EQ(p.query.header.id, 1u) << c.what << ": the id is needed for the reply";
        }
    }
}

void put_empty_fixed_part(Bytes& b) {
    put16(b, 1);
    put16(b, 1);
    put32(b, 0);
    put16(b, 0);
}

Bytes query_head(unsigned additional) {
    Bytes b;
    put_header(b, 1, 0, 1, 0, 0, additional);
    put_name(b, "web");
    put16(b, 1);
    put16(b, 1);
    return b;
}

TEST(DnsWireParse, NameOf255BytesThroughPointersAndNot256) {
    // Additional records whose owners are one label plus a pointer to the previous owner:
    // 63, 63, 63 and 61 bytes of labels make 255 wire bytes for the fourth owner.
    Bytes b = query_head(4);
    std::size_t prev = b.size();
    put_name(b, std::string(63, 'a'));
    put_empty_fixed_part(b);
    for (auto [c, len] : {std::pair{'b', 63}, {'c', 63}, {'d', 61}}) {
        std::size_t here = b.size();
        b.push_back(static_cast<std::uint8_t>(len));
        b.insert(b.end(), static_cast<std::size_t>(len), static_cast<std::uint8_t>(c));
        put16(b, 0xc000 | static_cast<unsigned>(prev));
        put_empty_fixed_part(b);
        prev = here;
    }
    QueryParse ok = parse(b);
    EXPECT_TRUE(ok.ok()) << ok.reason;

    b.push_back(1);
    b.push_back('e');
    put16(b, 0xc000 | static_cast<unsigned>(prev));
    put_empty_fixed_part(b);
    b[11] = 5;
    QueryParse too_long = parse(b);
    EXPECT_EQ(static_cast<int>(too_long.status), static_cast<int>(ParseStatus::FormErr));
    EXPECT_EQ(too_long.reason, "name longer than 255 bytes");
}

TEST(DnsWireParse, PointerChainsAreCappedAt127Hops) {
    // Owner k is a bare pointer to owner k-1, so reading it takes k hops.
    auto chain = [](unsigned records) {
        Bytes b = query_head(records);
        std::size_t prev = b.size();
        put_name(b, "x");
        put_empty_fixed_part(b);
        for (unsigned k = 1; k < records; ++k) {
            std::size_t here = b.size();
            put16(b, 0xc000 | static_cast<unsigned>(prev));
            put_empty_fixed_part(b);
            prev = here;
        }
        return b;
    };
    QueryParse ok = parse(chain(128));  // the last owner takes 127 hops
    EXPECT_TRUE(ok.ok()) << ok.reason;
    QueryParse capped = parse(chain(129));
    EXPECT_EQ(static_cast<int>(capped.status), static_cast<int>(ParseStatus::FormErr));
    EXPECT_EQ(capped.reason, "too many compression pointers");
}

// ---- building ------------------------------------------------------------------------------

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
    QueryParse p = parse(bad);
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

Bytes upstream_reply(unsigned id, const std::string& qname, unsigned qtype,
                     const std::vector<std::uint32_t>& answer_ttls, bool soa = false,
                     std::uint32_t soa_ttl = 0, std::uint32_t soa_minimum = 0) {
    Bytes b;
    put_header(b, id, 0x8180, 1, static_cast<unsigned>(answer_ttls.size()), soa ? 1 : 0);
    put_name(b, qname);
    put16(b, qtype);
    put16(b, 1);
    for (std::uint32_t ttl : answer_ttls) {
        put16(b, 0xc00c);
        put16(b, 1);
        put16(b, 1);
        put32(b, ttl);
        put16(b, 4);
        put32(b, 0x5db8d822);
    }
    if (soa) {
        put16(b, 0xc00c);
        put16(b, 6);
        put16(b, 1);
        put32(b, soa_ttl);
        Bytes rdata;
        put_name(rdata, "ns.example");
        put_name(rdata, "admin.example");
        for (std::uint32_t v : {1u, 7200u, 3600u, 1209600u}) put32(rdata, v);
        put32(rdata, soa_minimum);
        put16(b, static_cast<unsigned>(rdata.size()));
        b.insert(b.end(), rdata.begin(), rdata.end());
    }
    return b;
}

TEST(DnsWireForward, IdRewriteAndRestore) {
    Bytes q = make_query("example.com", 1, 0x1111);
    EXPECT_EQ(read_id(q), 0x1111);
    ASSERT_TRUE(write_id(q, 0xabcd));
    EXPECT_EQ(read_id(q), 0xabcd);
    Bytes small(11);
    EXPECT_FALSE(read_id(small));
    EXPECT_FALSE(write_id(small, 1));
}

TEST(DnsWireForward, HeaderOfAnUpstreamReply) {
    Bytes reply = upstream_reply(0x5150, "example.com", 1, {60});
    reply[3] = (reply[3] & 0xf0) | 2;  // SERVFAIL
    auto h = read_header(reply);
    ASSERT_TRUE(h);
    EXPECT_EQ(h->id, 0x5150);
    EXPECT_TRUE(h->qr());
    EXPECT_TRUE(h->rd());
    EXPECT_TRUE(h->ra());
    EXPECT_FALSE(h->tc());
    EXPECT_EQ(h->rcode(), 2);
    EXPECT_EQ(h->qdcount, 1);
    EXPECT_EQ(h->ancount, 1);
    EXPECT_FALSE(read_header(Bytes(11)));
}

TEST(DnsWireForward, ReplyMatchesQuestionCaseInsensitively) {
    Query q = query_of(make_query("Example.COM", 1, 0x2222));
    EXPECT_TRUE(reply_matches(upstream_reply(0x9999, "example.com", 1, {60}), 0x9999, q.question));
    EXPECT_FALSE(reply_matches(upstream_reply(0x9998, "example.com", 1, {60}), 0x9999, q.question))
        << "other id";
    EXPECT_FALSE(reply_matches(upstream_reply(0x9999, "example.org", 1, {60}), 0x9999, q.question));
    EXPECT_FALSE(
        reply_matches(upstream_reply(0x9999, "example.com", 28, {60}), 0x9999, q.question));
    Bytes not_reply = upstream_reply(0x9999, "example.com", 1, {60});
    not_reply[2] &= 0x7f;  // QR clear: a query bounced back
    EXPECT_FALSE(reply_matches(not_reply, 0x9999, q.question));
    Bytes cut = upstream_reply(0x9999, "example.com", 1, {});
    cut.resize(cut.size() - 3);
    EXPECT_FALSE(reply_matches(cut, 0x9999, q.question));
}

TEST(DnsWireForward, MinTtlForCaching) {
    EXPECT_EQ(min_ttl(upstream_reply(1, "example.com", 1, {300, 60, 120})), 60u);
    // A negative answer: min(SOA TTL, SOA MINIMUM).
    EXPECT_EQ(min_ttl(upstream_reply(1, "nope.example", 1, {}, true, 900, 300)), 300u);
    EXPECT_EQ(min_ttl(upstream_reply(1, "nope.example", 1, {}, true, 30, 300)), 30u);
    // RFC 2181 8: the top bit set reads as zero.
    EXPECT_EQ(min_ttl(upstream_reply(1, "example.com", 1, {0x80000001u, 60})), 0u);
    EXPECT_FALSE(min_ttl(upstream_reply(1, "example.com", 1, {})));
    Bytes cut = upstream_reply(1, "example.com", 1, {60});
    cut.pop_back();
    EXPECT_FALSE(min_ttl(cut));
}

TEST(DnsWireForward, OversizedReplyCutToQuestionWithTc) {
    std::vector<std::uint32_t> ttls(60, 30);
    Bytes reply = upstream_reply(0x77, "example.com", 1, ttls);
    ASSERT_GT(reply.size(), 512u);
    std::size_t n = truncate_reply(reply, 512);
    ASSERT_EQ(n, 12u + 13u + 4u);
    reply.resize(n);
    Decoded d = decode(reply);
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.id, 0x77u);
    EXPECT_NE(d.flags & 0x0200u, 0u);
    EXPECT_EQ(d.an + d.ns + d.ar, 0u);
    EXPECT_EQ(d.qname, "example.com.");

    Bytes fits = upstream_reply(1, "example.com", 1, {30});
    EXPECT_EQ(truncate_reply(fits, 512), fits.size());
    EXPECT_EQ(truncate_reply(reply, n), n) << "fits: unchanged";
    Bytes big = upstream_reply(1, "example.com", 1, ttls);
    EXPECT_EQ(truncate_reply(big, 20), 0u) << "even the question does not fit";
}

// ---- TCP framing ----------------------------------------------------------------------------

TEST(DnsWireFrame, SplitsCompleteMessages) {
    Bytes stream;
    Bytes a = make_query("a", 1, 1);
    Bytes b = make_query("bb", 1, 2);
    std::array<std::uint8_t, 2> prefix{};
    for (const Bytes* m : {&a, &b}) {
        ASSERT_TRUE(write_frame_prefix(prefix, m->size()));
        stream.insert(stream.end(), prefix.begin(), prefix.end());
        stream.insert(stream.end(), m->begin(), m->end());
    }
    stream.push_back(0);  // half of the next prefix
    std::array<Frame, 8> frames{};
    FrameScan s = scan_frames(stream, frames);
    ASSERT_EQ(s.count, 2u);
    EXPECT_EQ(frames[0].offset, 2u);
    EXPECT_EQ(frames[0].length, a.size());
    EXPECT_EQ(frames[1].offset, 4u + a.size());
    EXPECT_EQ(frames[1].length, b.size());
    EXPECT_EQ(s.consumed, 4u + a.size() + b.size());
    EXPECT_EQ(s.missing, 1u);
    Bytes second(stream.begin() + static_cast<long>(frames[1].offset),
                 stream.begin() + static_cast<long>(frames[1].offset + frames[1].length));
    EXPECT_EQ(second, b);

    // At most frames.size() at a time; the rest is found on the next call.
    std::array<Frame, 1> one{};
    s = scan_frames(stream, one);
    EXPECT_EQ(s.count, 1u);
    EXPECT_EQ(s.consumed, 2u + a.size());
    EXPECT_EQ(s.missing, 0u);
}

TEST(DnsWireFrame, PartialAndEmptyFrames) {
    std::array<Frame, 4> frames{};
    EXPECT_EQ(scan_frames({}, frames).count, 0u);
    EXPECT_EQ(scan_frames({}, frames).missing, 0u);
    // A prefix announcing 300 bytes with 10 present: nothing complete, 290 missing.
    Bytes partial = {0x01, 0x2c};
    partial.resize(12);
    FrameScan s = scan_frames(partial, frames);
    EXPECT_EQ(s.count, 0u);
    EXPECT_EQ(s.consumed, 0u);
    EXPECT_EQ(s.missing, 290u);
    // A zero length is a complete empty frame (the parser drops it), never a stall.
    Bytes zero = {0, 0, 0, 0};
    s = scan_frames(zero, frames);
    EXPECT_EQ(s.count, 2u);
    EXPECT_EQ(frames[0].length, 0u);
    EXPECT_EQ(s.consumed, 4u);
    std::array<std::uint8_t, 2> prefix{};
    EXPECT_TRUE(write_frame_prefix(prefix, 65535));
    EXPECT_EQ(prefix[0], 0xff);
    EXPECT_FALSE(write_frame_prefix(prefix, 65536));
}

}  // namespace
