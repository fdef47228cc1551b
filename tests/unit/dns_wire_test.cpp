// The wire codec's query parsing: plain queries, EDNS0, compression, crafted hostile packets and
// the name limits, checked against a separate test-side encoder.
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

QueryParse parse(const Bytes& b) {
    return parse_query(b);
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

}  // namespace
