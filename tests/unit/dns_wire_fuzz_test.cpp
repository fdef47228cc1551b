// Untrusted bytes in: random packets, mutations of valid ones and hand-made hostile ones must
// each come back as a clean result or a categorised error, quickly, and a parsed query must
// always lead to a well-formed reply. Deterministic (fixed seeds), so a failure reproduces.
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <vector>

#include "dns/wire.hpp"
#include "dns_wire_support.hpp"

using namespace berth::dns;
using namespace berth::dns::test;

namespace {

using Clock = std::chrono::steady_clock;

// Much more than any packet should take (a parse is around a microsecond), little enough to
// catch a loop or quadratic blow-up.
constexpr auto kPerPacketBound = std::chrono::milliseconds(1);

struct Stats {
    std::size_t ok = 0, drop = 0, formerr = 0, notimp = 0;
    Clock::duration slowest{};
};

// Everything a server does with a packet: parse, then build the reply it would send, then check
// that reply with the forwarder's own readers.
void exercise(const Bytes& packet, Stats& stats) {
    auto t0 = Clock::now();
    QueryParse p = parse_query(packet);
    auto took = Clock::now() - t0;
    // The machine is shared: one slow sample may be a preemption, a loop is slow every time.
    for (int retry = 0; retry < 5 && took >= kPerPacketBound; ++retry) {
        t0 = Clock::now();
        (void)parse_query(packet);
        took = std::min(took, Clock::now() - t0);
    }
    stats.slowest = std::max(stats.slowest, took);
    ASSERT_LT(took, kPerPacketBound) << "packet of " << packet.size() << " bytes";

    // The same bytes as an upstream reply: the forwarder reads those from the network too.
    (void)min_ttl(packet);
    (void)reply_matches(packet, 1, p.query.question);
    Bytes copy = packet;
    ASSERT_LE(truncate_reply(copy, kUdpPlainLimit), copy.size());

    std::array<std::uint8_t, 1232> buf{};
    switch (p.status) {
        case ParseStatus::Drop:
            ++stats.drop;
            ASSERT_FALSE(p.reason.empty());
            return;
        case ParseStatus::FormErr:
        case ParseStatus::NotImp: {
            p.status == ParseStatus::FormErr ? ++stats.formerr : ++stats.notimp;
            ASSERT_FALSE(p.reason.empty());
            ASSERT_EQ(build_header_only(p.query.header, Rcode::FormErr, buf), kHeaderSize);
            return;
        }
        case ParseStatus::Ok:
            break;
    }
    ++stats.ok;
    ResponseBuilder rb(buf, response_limit(p.query, Transport::Udp));
    ASSERT_TRUE(rb.start(p.query, Rcode::NoError));
    rb.add_a(p.query.question.name, 0, {10, 0, 0, 1});
    rb.add_ptr(p.query.question.name, 0, p.query.question.name);
    std::size_t n = rb.finish();
    ASSERT_LE(n, response_limit(p.query, Transport::Udp));
    std::span<const std::uint8_t> reply(buf.data(), n);
    ASSERT_TRUE(reply_matches(reply, p.query.header.id, p.query.question));
    ASSERT_TRUE(min_ttl(reply).has_value() || rb.truncated());
    Decoded d = decode(Bytes(reply.begin(), reply.end()));
    ASSERT_TRUE(d.ok);
}

Bytes random_packet(std::mt19937& rng) {
    std::uniform_int_distribution<int> len(0, 600);
    std::uniform_int_distribution<int> byte(0, 255);
    Bytes b(static_cast<std::size_t>(len(rng)));
    for (auto& x : b) x = static_cast<std::uint8_t>(byte(rng));
    // Half the time, a plausible header so the body parser is reached.
    if (b.size() >= 12 && rng() % 2) {
        b[2] &= 0x07;  // QR clear, opcode QUERY
        b[4] = 0;
        b[5] = 1;
        for (int i = 6; i < 12; ++i)
            b[static_cast<std::size_t>(i)] = rng() % 3 ? 0 : b[static_cast<std::size_t>(i)] % 4;
    }
    return b;
}

std::vector<Bytes> seeds() {
    std::vector<Bytes> s;
    s.push_back(make_query("web.demo_default", 1));
    s.push_back(make_query("db", 28, 7, OptSpec{4096, 0, true}));
    s.push_back(make_query("2.0.17.172.in-addr.arpa", 12, 9, OptSpec{}));
    Bytes compressed;
    put_header(compressed, 3, 0x0100, 1, 1, 0, 1);
    put_name(compressed, "a.b.c.d");
    put16(compressed, 1);
    put16(compressed, 1);
    put16(compressed, 0xc00e);  // "b.c.d."
    put16(compressed, 1);
    put16(compressed, 1);
    put32(compressed, 5);
    put16(compressed, 4);
    put32(compressed, 1);
    compressed.push_back(0);
    put16(compressed, 41);
    put16(compressed, 1232);
    put32(compressed, 0);
    put16(compressed, 0);
    s.push_back(compressed);
    return s;
}

Bytes mutate(const Bytes& seed, std::mt19937& rng) {
    Bytes b = seed;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
        switch (rng() % 6) {
            case 0:  // flip a bit
                if (!b.empty()) b[rng() % b.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
                break;
            case 1:  // a random byte
                if (!b.empty()) b[rng() % b.size()] = static_cast<std::uint8_t>(rng());
                break;
            case 2:  // cut
                b.resize(rng() % (b.size() + 1));
                break;
            case 3:  // insert
                b.insert(b.begin() + static_cast<long>(rng() % (b.size() + 1)),
                         static_cast<std::uint8_t>(rng()));
                break;
            case 4:  // a compression pointer somewhere
                if (b.size() >= 2) {
                    std::size_t at = rng() % (b.size() - 1);
                    b[at] = static_cast<std::uint8_t>(0xc0 | (rng() % 2));
                    b[at + 1] = static_cast<std::uint8_t>(rng());
                }
                break;
            case 5:  // a large count
                if (b.size() >= 12) b[4 + 2 * (rng() % 4)] = static_cast<std::uint8_t>(rng());
                break;
        }
    }
    return b;
}

TEST(DnsWireFuzz, RandomPacketsNeverCrashOrHang) {
    std::mt19937 rng(20261129);
    Stats stats;
    for (int i = 0; i < 20000; ++i) {
        exercise(random_packet(rng), stats);
        if (HasFatalFailure()) return;
    }
    EXPECT_GT(stats.drop, 0u);
    EXPECT_GT(stats.formerr, 0u);
}

TEST(DnsWireFuzz, MutatedQueriesNeverCrashOrHang) {
    std::mt19937 rng(1035);
    Stats stats;
    const auto base = seeds();
    for (const Bytes& s : base) exercise(s, stats);
    ASSERT_EQ(stats.ok, base.size()) << "every seed is a valid query";
    for (int i = 0; i < 40000; ++i) {
        exercise(mutate(base[static_cast<std::size_t>(i) % base.size()], rng), stats);
        if (HasFatalFailure()) return;
    }
    // The mutations must reach every outcome, or they are not exploring the parser.
    EXPECT_GT(stats.ok, 100u);
    EXPECT_GT(stats.drop, 100u);
    EXPECT_GT(stats.formerr, 100u);
    EXPECT_GT(stats.notimp, 10u);
}

// The worst cases by construction: a 64 KiB TCP message of nothing but backward pointers, and one
// claiming 65535 records of every kind.
TEST(DnsWireFuzz, HostileLargeMessagesAreBounded) {
    Stats stats;
    Bytes pointers;
    put_header(pointers, 1, 0, 1, 0, 0, 0xffff);
    put_name(pointers, "x");
    put16(pointers, 1);
    put16(pointers, 1);
    while (pointers.size() + 12 < 65535) {
        std::size_t back = pointers.size() - 2 * ((pointers.size() / 7) % 64 + 1);
        put16(pointers, 0xc000 | static_cast<unsigned>(std::min<std::size_t>(back, 0x3fff)));
        put16(pointers, 1);
        put16(pointers, 1);
        put32(pointers, 0);
        put16(pointers, 0);
    }
    exercise(pointers, stats);

    Bytes counts = make_query("web", 1);
    for (int i = 6; i < 12; ++i) counts[static_cast<std::size_t>(i)] = 0xff;
    counts.resize(65535, 0);
    exercise(counts, stats);
    EXPECT_EQ(stats.ok, 0u);
}

TEST(DnsWireFuzz, FramingOfRandomStreamsStaysInBounds) {
    std::mt19937 rng(7766);
    std::array<Frame, 16> frames{};
    for (int i = 0; i < 5000; ++i) {
        Bytes stream(rng() % 300);
        for (auto& x : stream) x = static_cast<std::uint8_t>(rng() % 4 == 0 ? rng() : rng() % 40);
        FrameScan s = scan_frames(stream, frames);
        ASSERT_LE(s.consumed, stream.size());
        std::size_t end = 0;
        for (std::size_t f = 0; f < s.count; ++f) {
            ASSERT_EQ(frames[f].offset, end + 2);
            end = frames[f].offset + frames[f].length;
            ASSERT_LE(end, stream.size());
        }
        ASSERT_EQ(end, s.consumed);
        if (s.count < frames.size()) {
            ASSERT_EQ(s.missing == 0, s.consumed == stream.size());
        }
    }
}

}  // namespace
