// DnsServer's forwarding: fake upstream servers on 127.0.0.3/4 run on test threads; containers are
// 127.0.0.x addresses the client sockets bind.
#include <mutex>
#include <set>

#include "dns_server_harness.hpp"

using namespace dnstest;
using namespace std::chrono_literals;

namespace {

constexpr std::uint16_t kA = 1;

struct ForwardTest : ::testing::Test {
    RecordStore store;
    std::mutex mu;
    std::vector<Upstream> upstreams;
    std::vector<Address> asked_for;  // the sources the daemon's callback was asked about
    std::unique_ptr<DnsServer> server;
    std::uint16_t port = 0;
    std::uint16_t internal_port = 0;

    void start(ServerOptions options = {}) {
        store.publish(test_snapshot());
        server = std::make_unique<DnsServer>(
            store,
            [this](const Address& source) {
                std::lock_guard lock(mu);
                asked_for.push_back(source);
                return upstreams;
            },
            options);
        auto p = server->add_listener(ip("127.0.0.1"), 0, {false, "n1"});
        ASSERT_TRUE(p) << p.error().message();
        port = *p;
        auto q = server->add_listener(ip("127.0.0.2"), 0, {true, "n3"});
        ASSERT_TRUE(q) << q.error().message();
        internal_port = *q;
    }
    void set_upstreams(std::vector<Upstream> u) {
        std::lock_guard lock(mu);
        upstreams = std::move(u);
    }

    std::optional<Reply> ask(const char* source, const std::string& name, std::uint16_t id,
                             std::chrono::milliseconds timeout = 8s, const char* to = "127.0.0.1",
                             std::uint16_t to_port = 0) {
        UdpClient c(source);
        auto r = c.ask(make_query(name, kA, id), to, to_port ? to_port : port, timeout);
        if (!r) return std::nullopt;
        Reply d = decode(*r);
        EXPECT_TRUE(d.ok);
        EXPECT_EQ(d.id, id);
        EXPECT_EQ(d.question, name);
        return d;
    }
};

TEST_F(ForwardTest, ForwardsWhatIsNotOursAndRestoresTheId) {
    FakeUpstream up("127.0.0.3", 300, false);
    start();
    set_upstreams({up.upstream()});
    auto r = ask("127.0.0.10", "Example.COM", 4321);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->rcode(), 0);
    EXPECT_EQ(r->addresses(), (std::vector<std::string>{"192.0.2.1"}));
    EXPECT_EQ(up.queries, 1);
    std::lock_guard lock(mu);
    ASSERT_EQ(asked_for.size(), 1u);
    EXPECT_EQ(asked_for[0], ip("127.0.0.10"));
}

TEST_F(ForwardTest, DeadFirstUpstreamThenTheSecond) {
    FakeUpstream alive("127.0.0.4", 300, false);
    start();
    set_upstreams({{ip("127.0.0.3"), dead_port("127.0.0.3")}, alive.upstream()});
    auto r = ask("127.0.0.10", "example.org", 1);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->addresses(), (std::vector<std::string>{"192.0.2.1"}));
    EXPECT_EQ(alive.queries, 1);
}

TEST_F(ForwardTest, SilentFirstUpstreamTimesOutThenTheSecond) {
    FakeUpstream silent("127.0.0.3", 300, true);
    FakeUpstream alive("127.0.0.4", 300, false);
    ServerOptions o;
    o.upstream_timeout = 500ms;
    start(o);
    set_upstreams({silent.upstream(), alive.upstream()});
    auto t0 = Clock::now();
    auto r = ask("127.0.0.10", "example.net", 2);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->addresses(), (std::vector<std::string>{"192.0.2.1"}));
    EXPECT_GE(Clock::now() - t0, 450ms);
    EXPECT_EQ(silent.queries, 1);
    EXPECT_EQ(alive.queries, 1);
}

TEST_F(ForwardTest, AllUpstreamsSilentIsServFailWithinFiveSeconds) {
    FakeUpstream a("127.0.0.3", 300, true);
    FakeUpstream b("127.0.0.4", 300, true);
    start();  // the default 2 s per server
    set_upstreams({a.upstream(), b.upstream()});
    auto t0 = Clock::now();
    auto r = ask("127.0.0.10", "example.com", 3);
    auto took = Clock::now() - t0;
    ASSERT_TRUE(r);
    EXPECT_EQ(r->rcode(), 2);
    EXPECT_GE(took, 3500ms);
    EXPECT_LE(took, 5000ms);
    EXPECT_EQ(a.queries, 1);
    EXPECT_EQ(b.queries, 1);
}

TEST_F(ForwardTest, NoUpstreamIsServFail) {
    start();
    auto r = ask("127.0.0.10", "example.com", 4, 2s);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->rcode(), 2);
}

TEST_F(ForwardTest, InternalListenerForwardsNothing) {
    FakeUpstream up("127.0.0.3", 300, false);
    start();
    set_upstreams({up.upstream()});
    auto r = ask("127.0.0.10", "example.com", 5, 2s, "127.0.0.2", internal_port);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->rcode(), 2);
    // Our own names still answer there.
    auto web = ask("127.0.0.10", "web", 6, 2s, "127.0.0.2", internal_port);
    ASSERT_TRUE(web);
    EXPECT_EQ(web->answers.size(), 3u);
    EXPECT_EQ(up.queries, 0);
    EXPECT_EQ(server->stats().upstream_sends, 0u);
}

TEST_F(ForwardTest, NeverForwardsToItsOwnListeners) {
    start();
    set_upstreams({{ip("127.0.0.1"), port}, {ip("127.0.0.2"), internal_port}});
    auto r = ask("127.0.0.10", "example.com", 7, 2s);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->rcode(), 2);
    EXPECT_EQ(server->stats().upstream_sends, 0u);
    EXPECT_EQ(server->stats().queries, 1u);
}

TEST_F(ForwardTest, UnknownSourcesAreNotForwarded) {
    FakeUpstream up("127.0.0.3", 300, false);
    start();
    set_upstreams({up.upstream()});
    auto r = ask("127.0.0.99", "example.com", 8, 2s);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->rcode(), 5);
    EXPECT_EQ(up.queries, 0);
}

TEST_F(ForwardTest, CachedAnswersAreServedUntilTheirTtl) {
    FakeUpstream up("127.0.0.3", 1, false);  // TTL 1 s
    start();
    set_upstreams({up.upstream()});
    auto first = ask("127.0.0.10", "cached.example", 10);
    ASSERT_TRUE(first);
    EXPECT_EQ(up.queries, 1);
    // Another container, another id, another case: served from the cache, echoing its own.
    auto second = ask("127.0.0.11", "CACHED.example", 11);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->addresses(), (std::vector<std::string>{"192.0.2.1"}));
    EXPECT_EQ(up.queries, 1);
    EXPECT_EQ(server->stats().cache_hits, 1u);
    // Once the TTL has passed the upstream is asked again.
    std::uint16_t id = 100;
    EXPECT_TRUE(eventually(
        [&] {
            auto r = ask("127.0.0.10", "cached.example", id++);
            return r && up.queries == 2;
        },
        4s));
}

TEST_F(ForwardTest, RefusesPastTheForwardCap) {
    FakeUpstream silent("127.0.0.3", 300, true);
    ServerOptions o;
    o.max_forwards = 1;
    start(o);
    set_upstreams({silent.upstream()});
    UdpClient pending("127.0.0.10");
    pending.send(make_query("slow.example", kA, 20), "127.0.0.1", port);
    ASSERT_TRUE(eventually([&] { return silent.queries == 1; }));
    auto r = ask("127.0.0.11", "other.example", 21, 1s);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->rcode(), 5);
    EXPECT_EQ(server->stats().forward_refused, 1u);
}

TEST_F(ForwardTest, ForwardsForTcpClients) {
    FakeUpstream up("127.0.0.3", 300, false);
    start();
    set_upstreams({up.upstream()});
    TcpClient tcp("127.0.0.10", "127.0.0.1", port);
    tcp.send(make_query("one.example", kA, 31));
    tcp.send(make_query("web", kA, 32));
    tcp.send(make_query("two.example", kA, 33));
    std::set<std::uint16_t> ids;
    for (int i = 0; i < 3; ++i) {
        auto r = tcp.receive();
        ASSERT_TRUE(r);
        Reply d = decode(*r);
        EXPECT_EQ(d.rcode(), 0);
        EXPECT_FALSE(d.answers.empty());
        ids.insert(d.id);
    }
    EXPECT_EQ(ids, (std::set<std::uint16_t>{31, 32, 33}));
}

TEST_F(ForwardTest, LargeAnswersReachTcpClientsWhole) {
    FakeUpstream up("127.0.0.3", 300, false, 60);  // 60 records: over 512 bytes
    start();
    set_upstreams({up.upstream()});
    // Over UDP the upstream's reply is truncated, and so is ours.
    auto udp = ask("127.0.0.10", "many.example", 41);
    ASSERT_TRUE(udp);
    EXPECT_TRUE(udp->tc());
    EXPECT_TRUE(udp->answers.empty());
    // The client then asks over TCP, and so does the server.
    TcpClient tcp("127.0.0.10", "127.0.0.1", port);
    tcp.send(make_query("many.example", kA, 42));
    auto r = tcp.receive();
    ASSERT_TRUE(r);
    Reply d = decode(*r);
    EXPECT_EQ(d.id, 42);
    EXPECT_FALSE(d.tc());
    EXPECT_EQ(d.answers.size(), 60u);
    EXPECT_EQ(up.tcp_queries, 1);
}

}  // namespace
