// DnsServer's own answers over real sockets: containers are 127.0.0.x addresses the test's client
// sockets bind, the server listens on 127.0.0.1 (and 127.0.0.2, internal) on ports of its choice.
#include <set>

#include "dns_server_harness.hpp"

using namespace dnstest;
using namespace std::chrono_literals;

namespace {

constexpr std::uint16_t kA = 1, kAAAA = 28, kPTR = 12, kTXT = 16;

struct ServerTest : ::testing::Test {
    RecordStore store;
    std::unique_ptr<DnsServer> server;
    std::uint16_t port = 0;
    std::uint16_t internal_port = 0;
    std::uint16_t next_id = 1;

    void SetUp() override {
        store.publish(test_snapshot());
        server = std::make_unique<DnsServer>(
            store, [](const Address&) { return std::vector<Upstream>{}; });
        auto p = server->add_listener(ip("127.0.0.1"), 0, {false, "n1"});
        ASSERT_TRUE(p) << p.error().message();
        port = *p;
        auto q = server->add_listener(ip("127.0.0.2"), 0, {true, "n3"});
        ASSERT_TRUE(q) << q.error().message();
        internal_port = *q;
    }

    Reply ask(const char* source, const std::string& name, std::uint16_t type,
              std::uint16_t edns = 0) {
        UdpClient c(source);
        std::uint16_t id = next_id++;
        auto r = c.ask(make_query(name, type, id, edns), "127.0.0.1", port);
        EXPECT_TRUE(r) << "no reply to " << name;
        if (!r) return {};
        Reply out = decode(*r);
        EXPECT_TRUE(out.ok);
        EXPECT_EQ(out.id, id);
        EXPECT_EQ(out.question, name);
        return out;
    }
};

TEST_F(ServerTest, AnswersByServiceContainerNameAndAlias) {
    Reply web = ask("127.0.0.13", "web", kA);
    EXPECT_EQ(web.rcode(), 0);
    EXPECT_EQ(web.addresses(),
              (std::vector<std::string>{"127.0.0.10", "127.0.0.11", "127.0.0.12"}));
    EXPECT_EQ(web.answers[0].ttl, 0u);
    EXPECT_TRUE(web.flags & 0x0400);  // AA

    EXPECT_EQ(ask("127.0.0.10", "proj-db-1", kA).addresses(),
              (std::vector<std::string>{"127.0.0.13"}));
    EXPECT_EQ(ask("127.0.0.10", "DataBase", kA).addresses(),
              (std::vector<std::string>{"127.0.0.13"}));
    EXPECT_EQ(ask("127.0.0.10", "proj-web-2.proj_default", kA).addresses(),
              (std::vector<std::string>{"127.0.0.11"}));
}

TEST_F(ServerTest, ThreeReplicasAreShuffled) {
    std::set<std::string> firsts;
    for (int i = 0; i < 60 && firsts.size() < 3; ++i) {
        Reply r = ask("127.0.0.13", "web", kA);
        ASSERT_EQ(r.answers.size(), 3u);
        firsts.insert(r.answers[0].data);
    }
    EXPECT_EQ(firsts.size(), 3u);
}

TEST_F(ServerTest, PtrNamesTheContainerOnItsNetwork) {
    Reply r = ask("127.0.0.10", "13.0.0.127.in-addr.arpa", kPTR);
    EXPECT_EQ(r.rcode(), 0);
    ASSERT_EQ(r.answers.size(), 1u);
    EXPECT_EQ(r.answers[0].type, kPTR);
    EXPECT_EQ(r.answers[0].data, "proj-db-1.proj_default");
    // A free address of a berth subnet is ours and does not exist.
    EXPECT_EQ(ask("127.0.0.10", "77.0.0.127.in-addr.arpa", kPTR).rcode(), 3);
}

TEST_F(ServerTest, NoDataAndNxDomain) {
    Reply aaaa = ask("127.0.0.10", "db", kAAAA);
    EXPECT_EQ(aaaa.rcode(), 0);
    EXPECT_TRUE(aaaa.answers.empty());
    EXPECT_EQ(ask("127.0.0.10", "db", kTXT).rcode(), 0);
    // Another project's service, on a network the asker is not on.
    Reply other = ask("127.0.0.10", "cache", kA);
    EXPECT_EQ(other.rcode(), 3);
    EXPECT_TRUE(other.answers.empty());
    EXPECT_EQ(ask("127.0.0.10", "other-cache-1", kA).rcode(), 3);
    // ...which its own project's containers resolve.
    EXPECT_EQ(ask("127.0.1.5", "cache", kA).addresses(), (std::vector<std::string>{"127.0.1.5"}));
}

TEST_F(ServerTest, RefusesUnknownSources) {
    Reply r = ask("127.0.0.99", "web", kA);
    EXPECT_EQ(r.rcode(), 5);
    EXPECT_TRUE(r.answers.empty());
    EXPECT_EQ(ask("127.0.0.99", "example.com", kA).rcode(), 5);
}

TEST_F(ServerTest, FollowsPublishedSnapshots) {
    EXPECT_EQ(ask("127.0.0.10", "web", kA).answers.size(), 3u);
    store.publish(Snapshot());
    EXPECT_EQ(ask("127.0.0.10", "web", kA).rcode(), 5);
}

TEST_F(ServerTest, TruncatesOverUdpAndAnswersWholeOverTcp) {
    Reply udp = ask("127.0.0.10", "big", kA);
    EXPECT_TRUE(udp.tc());
    EXPECT_TRUE(udp.answers.empty());

    // With EDNS0 and 1232 bytes the 40 records (16 bytes each) fit.
    Reply edns = ask("127.0.0.10", "big", kA, 1232);
    EXPECT_FALSE(edns.tc());
    EXPECT_EQ(edns.answers.size(), 40u);

    TcpClient tcp("127.0.0.10", "127.0.0.1", port);
    tcp.send(make_query("big", kA, 77));
    auto bytes = tcp.receive();
    ASSERT_TRUE(bytes);
    EXPECT_GT(bytes->size(), 512u);
    Reply whole = decode(*bytes);
    EXPECT_EQ(whole.id, 77);
    EXPECT_FALSE(whole.tc());
    EXPECT_EQ(whole.answers.size(), 40u);
}

TEST_F(ServerTest, SeveralQueriesOnOneTcpConnection) {
    TcpClient tcp("127.0.0.10", "127.0.0.1", port);
    // Two in one write, the third split across writes.
    Bytes both;
    for (auto [name, id] : {std::pair{"web", 1}, std::pair{"db", 2}}) {
        Bytes q = make_query(name, kA, static_cast<std::uint16_t>(id));
        put16(both, static_cast<std::uint16_t>(q.size()));
        both.insert(both.end(), q.begin(), q.end());
    }
    tcp.send_raw(both);
    Bytes third = make_query("database", kA, 3);
    Bytes framed;
    put16(framed, static_cast<std::uint16_t>(third.size()));
    framed.insert(framed.end(), third.begin(), third.end());
    tcp.send_raw(Bytes(framed.begin(), framed.begin() + 5));
    tcp.send_raw(Bytes(framed.begin() + 5, framed.end()));

    std::vector<std::size_t> counts;
    for (std::uint16_t id = 1; id <= 3; ++id) {
        auto r = tcp.receive();
        ASSERT_TRUE(r) << "reply " << id;
        Reply d = decode(*r);
        EXPECT_EQ(d.id, id);
        counts.push_back(d.answers.size());
    }
    EXPECT_EQ(counts, (std::vector<std::size_t>{3, 1, 1}));
}

TEST_F(ServerTest, ClosesIdleTcpConnections) {
    TcpClient tcp("127.0.0.10", "127.0.0.1", port);
    tcp.send(make_query("web", kA, 9));
    ASSERT_TRUE(tcp.receive());
    auto t0 = Clock::now();
    EXPECT_TRUE(tcp.closed_within(6s));
    auto idle = Clock::now() - t0;
    EXPECT_GE(idle, 2500ms);
    EXPECT_LE(idle, 4500ms);
}

TEST_F(ServerTest, KeepsAnsweringAfterMalformedPackets) {
    UdpClient c("127.0.0.10");
    Bytes compression_loop = make_query("web", kA, 5);
    compression_loop.resize(12);
    compression_loop.insert(compression_loop.end(), {0xc0, 12, 0, 1, 0, 1});  // points at itself
    Bytes truncated = make_query("proj-web-1", kA, 6);
    truncated.resize(truncated.size() - 3);
    std::vector<Bytes> bad{
        {}, {0x12}, Bytes(11, 0xff), Bytes(300, 0xab), compression_loop, truncated,
    };
    for (const auto& b : bad) c.send(b, "127.0.0.1", port);
    // Whatever came back for those (FORMERR or nothing), a real query is still answered.
    c.send(make_query("web", kA, 4242), "127.0.0.1", port);
    for (;;) {
        auto r = c.receive(3s);
        ASSERT_TRUE(r) << "no reply after malformed packets";
        Reply d = decode(*r);
        if (d.id != 4242) {  // a FORMERR for one of the bad ones
            EXPECT_EQ(d.rcode(), 1);
            continue;
        }
        EXPECT_EQ(d.answers.size(), 3u);
        break;
    }
    // A length prefix whose body never comes does not hold the server up.
    TcpClient stalled("127.0.0.10", "127.0.0.1", port);
    stalled.send_raw({0, 40, 1, 2, 3});
    auto during = c.ask(make_query("db", kA, 4244), "127.0.0.1", port, 1s);
    ASSERT_TRUE(during);
    EXPECT_EQ(decode(*during).id, 4244);
    // Over TCP too: a zero-length frame, then garbage, then a query.
    TcpClient tcp("127.0.0.10", "127.0.0.1", port);
    tcp.send_raw({0, 0});
    tcp.send(compression_loop);
    tcp.send(make_query("db", kA, 4343));
    auto formerr = tcp.receive();
    ASSERT_TRUE(formerr);
    EXPECT_EQ(decode(*formerr).rcode(), 1);
    auto r = tcp.receive();
    ASSERT_TRUE(r);
    EXPECT_EQ(decode(*r).id, 4343);
}

TEST_F(ServerTest, CapsTcpConnections) {
    RecordStore s;
    ServerOptions o;
    o.max_tcp_connections = 2;
    DnsServer small(s, {}, o);
    auto p = small.add_listener(ip("127.0.0.3"), 0, {});
    ASSERT_TRUE(p) << p.error().message();
    TcpClient a("127.0.0.10", "127.0.0.3", *p), b("127.0.0.10", "127.0.0.3", *p);
    // The first two are served (REFUSED: this store is empty), the third is closed at once.
    for (auto* c : {&a, &b}) {
        c->send(make_query("web", kA, 1));
        ASSERT_TRUE(c->receive());
    }
    TcpClient third("127.0.0.10", "127.0.0.3", *p);
    EXPECT_TRUE(third.closed_within(2s));
    EXPECT_EQ(small.stats().tcp_rejected, 1u);
}

TEST_F(ServerTest, ListenersComeAndGo) {
    auto again = server->add_listener(ip("127.0.0.1"), 0, {});
    EXPECT_FALSE(again);
    ASSERT_TRUE(server->remove_listener(ip("127.0.0.2")));
    EXPECT_FALSE(server->remove_listener(ip("127.0.0.2")));
    // Still answering on the other one.
    EXPECT_EQ(ask("127.0.0.10", "web", kA).answers.size(), 3u);
    // An address not configured anywhere binds thanks to IP_FREEBIND (10.x is not on lo here;
    // without FREEBIND this is EADDRNOTAVAIL).
    auto free = server->add_listener(ip("10.255.255.254"), 0, {});
    EXPECT_TRUE(free) << free.error().message();
    auto free6 = server->add_listener(ip("fd00:beef::1"), 0, {});
    EXPECT_TRUE(free6) << free6.error().message();
}

TEST_F(ServerTest, ListensOnIpv6) {
    auto p6 = server->add_listener(ip("::1"), 0, {});
    ASSERT_TRUE(p6) << p6.error().message();
    int fd = ::socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in6 to{};
    to.sin6_family = AF_INET6;
    to.sin6_port = htons(*p6);
    to.sin6_addr = in6addr_loopback;
    Bytes q = make_query("six", kAAAA, 66);
    ::sendto(fd, q.data(), q.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
    ASSERT_TRUE(wait_readable(fd, 3s));
    Bytes b(512);
    ssize_t n = ::recv(fd, b.data(), b.size(), 0);
    ::close(fd);
    ASSERT_GT(n, 0);
    b.resize(static_cast<std::size_t>(n));
    Reply r = decode(b);
    EXPECT_EQ(r.id, 66);
    EXPECT_EQ(r.addresses(), (std::vector<std::string>{"::1"}));
}

}  // namespace
