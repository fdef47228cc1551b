// The wire codec's forwarder helpers (id rewrite, reply matching, TTLs, truncation) and TCP
// framing.
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
