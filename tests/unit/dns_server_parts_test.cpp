// The server's pure parts: the forwarded-answer cache (what it keeps, for how long, how it is
// bounded, TTLs counted down) and the replies built for our own answers.
#include "dns_server_harness.hpp"
#include "forward_cache.hpp"
#include "local_reply.hpp"

using namespace dnstest;
using namespace std::chrono_literals;

namespace {

Query parsed(const Bytes& packet) {
    auto p = parse_query(packet);
    EXPECT_TRUE(p.ok()) << p.reason;
    return p.query;
}

// An upstream's reply to `name` A: one record with `ttl`, or an rcode and nothing.
// `tc` sets TC on a reply that still has its record, as some servers send.
Bytes upstream_reply(const std::string& name, std::uint32_t ttl, Rcode rcode = Rcode::NoError,
                     bool tc = false) {
    Query q = parsed(make_query(name, 1, 7));
    std::array<std::uint8_t, 512> buf;
    ResponseBuilder rb(buf, 512);
    rb.start(q, rcode);
    if (rcode == Rcode::NoError) rb.add_a(q.question.name, ttl, {192, 0, 2, 9});
    Bytes out(buf.begin(), buf.begin() + static_cast<long>(rb.finish()));
    if (tc) out[2] |= 0x02;
    return out;
}

std::string key_of(const std::string& name, std::vector<Upstream> ups = {{ip("127.0.0.3"), 53}}) {
    std::string k;
    ForwardCache::key(parsed(make_query(name, 1, 1)), ups, k);
    return k;
}

const ForwardCache::Clock::time_point t0{};

TEST(ForwardCache, KeepsAnswersForTheirTtl) {
    ForwardCache c(16, 3600);
    ASSERT_TRUE(c.insert(key_of("a.example"), upstream_reply("a.example", 30), t0));
    auto hit = c.find(key_of("A.Example"), t0 + 10s);
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->age, 10u);
    EXPECT_EQ(decode(Bytes(hit->reply.begin(), hit->reply.end())).addresses(),
              (std::vector<std::string>{"192.0.2.9"}));
    EXPECT_FALSE(c.find(key_of("a.example"), t0 + 30s));
}

TEST(ForwardCache, CutsLongTtls) {
    ForwardCache c(16, 60);
    ASSERT_TRUE(c.insert(key_of("a.example"), upstream_reply("a.example", 86400), t0));
    EXPECT_TRUE(c.find(key_of("a.example"), t0 + 59s));
    EXPECT_FALSE(c.find(key_of("a.example"), t0 + 60s));
}

TEST(ForwardCache, KeepsOnlyWholeAnswersWithATtl) {
    ForwardCache c(16, 3600);
    EXPECT_FALSE(c.insert(key_of("a"), upstream_reply("a", 0), t0));
    EXPECT_FALSE(c.insert(key_of("b"), upstream_reply("b", 30, Rcode::ServFail), t0));
    EXPECT_FALSE(c.insert(key_of("c"), upstream_reply("c", 30, Rcode::Refused), t0));
    // NXDOMAIN without an SOA has no TTL to go by.
    EXPECT_FALSE(c.insert(key_of("d"), upstream_reply("d", 30, Rcode::NXDomain), t0));
    EXPECT_FALSE(c.insert(key_of("e"), upstream_reply("e", 30, Rcode::NoError, true), t0));
    EXPECT_FALSE(c.insert(key_of("f"), Bytes{1, 2, 3}, t0));
    EXPECT_EQ(c.size(), 0u);
}

TEST(ForwardCache, KeysSeparateUpstreamsTypesAndDnssec) {
    EXPECT_EQ(key_of("x.example"), key_of("X.EXAMPLE"));
    EXPECT_NE(key_of("x.example"), key_of("x.example", {{ip("127.0.0.4"), 53}}));
    EXPECT_NE(key_of("x.example"), key_of("x.example", {{ip("127.0.0.3"), 5300}}));
    std::string aaaa, a_do;
    std::vector<Upstream> ups{{ip("127.0.0.3"), 53}};
    ForwardCache::key(parsed(make_query("x.example", 28, 1)), ups, aaaa);
    Bytes with_do = make_query("x.example", 1, 1, 1232);
    with_do[with_do.size() - 4] = 0x80;  // the DO bit in the OPT TTL
    ForwardCache::key(parsed(with_do), ups, a_do);
    EXPECT_NE(key_of("x.example"), aaaa);
    EXPECT_NE(key_of("x.example"), a_do);
}

TEST(ForwardCache, DropsTheOldestPastItsSize) {
    ForwardCache c(3, 3600);
    for (int i = 0; i < 5; ++i) {
        std::string n = "n" + std::to_string(i);
        ASSERT_TRUE(c.insert(key_of(n), upstream_reply(n, 300), t0 + std::chrono::seconds(i)));
    }
    EXPECT_EQ(c.size(), 3u);
    EXPECT_FALSE(c.find(key_of("n0"), t0 + 5s));
    EXPECT_FALSE(c.find(key_of("n1"), t0 + 5s));
    EXPECT_TRUE(c.find(key_of("n4"), t0 + 5s));
    // Storing a name again refreshes it without growing past the bound.
    for (int i = 0; i < 100; ++i) c.insert(key_of("n4"), upstream_reply("n4", 300), t0 + 6s);
    EXPECT_EQ(c.size(), 3u);
    EXPECT_TRUE(c.find(key_of("n2"), t0 + 7s));
}

TEST(AgeTtls, CountsDownAndStopsAtZero) {
    Bytes r = upstream_reply("a.example", 30);
    age_ttls(r, 12);
    EXPECT_EQ(decode(r).answers.at(0).ttl, 18u);
    age_ttls(r, 100);
    EXPECT_EQ(decode(r).answers.at(0).ttl, 0u);
    Bytes garbage{0, 1, 0x81, 0x80, 0, 1, 0, 5, 0, 0, 0, 0, 3};
    age_ttls(garbage, 5);  // reads nothing past the end
}

TEST(LocalReply, LookupNameAndType) {
    std::string out;
    lookup_name(parse_name("Web.Proj_Default.").value(), out);
    EXPECT_EQ(out, "Web.Proj_Default");
    lookup_name(Name(), out);
    EXPECT_EQ(out, "");
    Name dotted;
    dotted.append_label("a.b");
    lookup_name(dotted, out);
    EXPECT_EQ(out, "a\\.b.");  // escaped: it can never be one of our names
    EXPECT_EQ(query_type(parsed(make_query("x", 28, 1)).question), QueryType::AAAA);
    EXPECT_EQ(query_type(parsed(make_query("x", 16, 1)).question), QueryType::Other);
}

TEST(LocalReply, EveryStatus) {
    std::array<std::uint8_t, 1232> buf;
    Query q = parsed(make_query("web", 1, 55));
    Answer found;
    found.status = Status::Found;
    found.addresses = {ip("10.0.0.2"), ip("10.0.0.3")};
    Reply r = decode(Bytes(buf.begin(), buf.begin() + static_cast<long>(build_local_reply(
                                                          q, found, Transport::Udp, 0, buf))));
    EXPECT_EQ(r.id, 55);
    EXPECT_EQ(r.rcode(), 0);
    EXPECT_TRUE(r.flags & 0x0400);
    EXPECT_EQ(r.addresses(), (std::vector<std::string>{"10.0.0.2", "10.0.0.3"}));

    for (auto [status, rcode, aa] :
         {std::tuple{Status::NoData, 0, true}, std::tuple{Status::NxDomain, 3, true},
          std::tuple{Status::Refused, 5, false}}) {
        Answer a;
        a.status = status;
        std::size_t n = build_local_reply(q, a, Transport::Udp, 0, buf);
        Reply d = decode(Bytes(buf.begin(), buf.begin() + static_cast<long>(n)));
        EXPECT_EQ(d.rcode(), rcode);
        EXPECT_TRUE(d.answers.empty());
        EXPECT_EQ(bool(d.flags & 0x0400), aa);
    }

    Query ptr = parsed(make_query("2.0.0.10.in-addr.arpa", 12, 56));
    Answer named;
    named.status = Status::Found;
    named.ptr = "proj-web-1.proj_default";
    std::size_t n = build_local_reply(ptr, named, Transport::Udp, 600, buf);
    Reply p = decode(Bytes(buf.begin(), buf.begin() + static_cast<long>(n)));
    ASSERT_EQ(p.answers.size(), 1u);
    EXPECT_EQ(p.answers[0].data, "proj-web-1.proj_default");
    EXPECT_EQ(p.answers[0].ttl, 600u);

    std::size_t sf = build_rcode_reply(q, Rcode::ServFail, Transport::Udp, buf);
    Reply s = decode(Bytes(buf.begin(), buf.begin() + static_cast<long>(sf)));
    EXPECT_EQ(s.rcode(), 2);
    EXPECT_EQ(s.question, "web");
}

}  // namespace
