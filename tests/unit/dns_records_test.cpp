// The resolver's records: which names each network answers, seen from the asking container, with
// Docker's scoping of aliases and links, health-aware service names, PTR and NODATA.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <thread>

#include "dns/record_store.hpp"
#include "dns/records.hpp"
#include "dns/reverse_name.hpp"

using namespace berth::dns;
using berth::network::parse_address;
using berth::network::parse_prefix;
using berth::network::to_string;

namespace {

Address ip(const char* text) {
    return parse_address(text).value();
}

NetworkRecord net(std::string id, std::string name, const char* subnet, bool internal = false) {
    return {std::move(id), std::move(name), internal, {parse_prefix(subnet).value()}};
}

EndpointRecord on(std::string network_id, const char* v4, std::vector<std::string> aliases = {},
                  const char* v6 = nullptr) {
    EndpointRecord ep;
    ep.network_id = std::move(network_id);
    if (v4) ep.ipv4 = ip(v4);
    if (v6) ep.ipv6 = ip(v6);
    ep.aliases = std::move(aliases);
    return ep;
}

ContainerRecord ctr(std::string name, std::string service, std::vector<EndpointRecord> eps) {
    ContainerRecord c;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016zx", std::hash<std::string>{}(name));
    c.id = std::string(hex) + std::string(48, 'c');
    c.name = std::move(name);
    c.hostname = c.id.substr(0, 12);
    c.service = std::move(service);
    c.project = "p";
    c.endpoints = std::move(eps);
    c.running = true;
    return c;
}

Snapshot build(const std::vector<NetworkRecord>& n, const std::vector<ContainerRecord>& c) {
    auto s = Snapshot::build(n, c);
    EXPECT_TRUE(s) << s.error().message();
    return std::move(s).value();
}

std::vector<std::string> texts(const Answer& a) {
    std::vector<std::string> out;
    for (const auto& x : a.addresses) out.push_back(to_string(x));
    return out;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

// A project "p" on p_default: three web replicas, a db, and a client that asks.
struct Project : ::testing::Test {
    std::vector<NetworkRecord> networks{net("n1", "p_default", "172.20.0.0/16")};
    std::vector<ContainerRecord> containers{
        ctr("p-web-1", "web", {on("n1", "172.20.0.2")}),
        ctr("p-web-2", "web", {on("n1", "172.20.0.3")}),
        ctr("p-web-3", "web", {on("n1", "172.20.0.4")}),
        ctr("p-db-1", "db", {on("n1", "172.20.0.5", {"database"}, "fd00:20::5")}),
        ctr("p-client-1", "client", {on("n1", "172.20.0.10")}),
    };
    const Address client = ip("172.20.0.10");

    Answer ask(std::string_view name, QueryType type = QueryType::A, std::uint64_t seed = 1) {
        return lookup(build(networks, containers), client, name, type, seed);
    }
};

TEST_F(Project, ServiceAnswersEveryReplicaInVaryingOrder) {
    Snapshot s = build(networks, containers);
    std::set<std::vector<std::string>> orders;
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
        Answer a = lookup(s, client, "web", QueryType::A, seed);
        ASSERT_EQ(a.status, Status::Found);
        EXPECT_EQ(sorted(texts(a)),
                  (std::vector<std::string>{"172.20.0.2", "172.20.0.3", "172.20.0.4"}));
        orders.insert(texts(a));
    }
    EXPECT_GE(orders.size(), 3u) << "the replicas should come back in several orders";
    // Deterministic for a given seed.
    EXPECT_EQ(texts(lookup(s, client, "web", QueryType::A, 7)),
              texts(lookup(s, client, "web", QueryType::A, 7)));
}

TEST_F(Project, TableListsWhatTheNetworkAnswers) {
    containers[1].running = false;
    Snapshot s = build(networks, containers);
    auto table = s.table("P_DEFAULT");
    std::map<std::string, std::vector<std::string>> by_name;
    for (const auto& [name, addresses] : table) {
        for (const auto& a : addresses) by_name[name].push_back(to_string(a));
    }
    EXPECT_EQ(by_name["web"], (std::vector<std::string>{"172.20.0.2", "172.20.0.4"}));
    EXPECT_EQ(by_name["database"], (std::vector<std::string>{"172.20.0.5", "fd00:20::5"}));
    EXPECT_EQ(by_name.count("p-web-2"), 0u) << "a stopped container has no row";
    EXPECT_TRUE(std::is_sorted(table.begin(), table.end()));
    EXPECT_TRUE(s.table("elsewhere").empty());
}

TEST_F(Project, ContainerNameHostnameShortIdAndAlias) {
    const std::string short_id = containers[3].id.substr(0, 12);
    containers[3].hostname = "dbhost";
    for (std::string name : {"p-db-1", "dbhost", short_id.c_str(), "database", "db"}) {
        Answer a = ask(name);
        ASSERT_EQ(a.status, Status::Found) << name;
        EXPECT_EQ(texts(a), std::vector<std::string>{"172.20.0.5"}) << name;
    }
}

TEST_F(Project, NamesIgnoreCaseAndTrailingDot) {
    EXPECT_EQ(texts(ask("P-DB-1.")), std::vector<std::string>{"172.20.0.5"});
    EXPECT_EQ(texts(ask("DataBase")), std::vector<std::string>{"172.20.0.5"});
    EXPECT_EQ(ask("Web.").addresses.size(), 3u);
}

TEST_F(Project, NameQualifiedByNetwork) {
    EXPECT_EQ(texts(ask("p-db-1.p_default")), std::vector<std::string>{"172.20.0.5"});
    EXPECT_EQ(ask("web.P_Default.").addresses.size(), 3u);
    EXPECT_EQ(ask("nothing.p_default").status, Status::NxDomain);
    // Docker: "c1.net1.google.com" is not ours.
    EXPECT_EQ(ask("web.p_default.example.com").status, Status::Forward);
}

TEST_F(Project, UnknownNamesAreForwarded) {
    EXPECT_EQ(ask("example.com").status, Status::Forward);
    EXPECT_EQ(ask("example.com", QueryType::AAAA).status, Status::Forward);
    EXPECT_EQ(ask("registry", QueryType::Other).status, Status::Forward);
}

TEST_F(Project, SourceOfNoContainerIsRefused) {
    Snapshot s = build(networks, containers);
    EXPECT_EQ(lookup(s, ip("172.20.0.1"), "web", QueryType::A, 0).status, Status::Refused);
    EXPECT_EQ(lookup(s, ip("127.0.0.1"), "example.com", QueryType::A, 0).status, Status::Refused);
    EXPECT_EQ(lookup(Snapshot{}, client, "web", QueryType::A, 0).status, Status::Refused);
}

TEST_F(Project, AaaaAndNoData) {
    Answer v6 = ask("p-db-1", QueryType::AAAA);
    ASSERT_EQ(v6.status, Status::Found);
    EXPECT_EQ(texts(v6), std::vector<std::string>{"fd00:20::5"});
    // web is IPv4 only: the name exists, so NOERROR with no answer, never forwarded.
    Answer none = ask("web", QueryType::AAAA);
    EXPECT_EQ(none.status, Status::NoData);
    EXPECT_TRUE(none.addresses.empty());
    EXPECT_EQ(ask("web", QueryType::Other).status, Status::NoData);
    EXPECT_EQ(ask("web", QueryType::PTR).status, Status::NoData);
}

TEST_F(Project, ReverseLookups) {
    Answer v4 = ask(reverse_name(ip("172.20.0.3")), QueryType::PTR);
    ASSERT_EQ(v4.status, Status::Found);
    EXPECT_EQ(v4.ptr, "p-web-2.p_default");
    Answer v6 = ask("5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.0.0.D.F.IP6.ARPA.",
                    QueryType::PTR);
    ASSERT_EQ(v6.status, Status::Found);
    EXPECT_EQ(v6.ptr, "p-db-1.p_default");
    // A free address in berth's subnet is denied here; anything else is the upstream's.
    EXPECT_EQ(ask("99.0.20.172.in-addr.arpa", QueryType::PTR).status, Status::NxDomain);
    EXPECT_EQ(ask("8.8.8.8.in-addr.arpa", QueryType::PTR).status, Status::Forward);
    EXPECT_EQ(ask("20.172.in-addr.arpa", QueryType::PTR).status, Status::Forward);
    // A PTR answer resolves forward to the same address.
    EXPECT_EQ(texts(ask(std::string(v4.ptr))), std::vector<std::string>{"172.20.0.3"});
}

TEST(ReverseName, RoundTrips) {
    for (const char* text : {"10.1.2.3", "0.0.0.0", "255.255.255.255", "fd00:20::5", "::1"}) {
        auto back = parse_reverse_name(reverse_name(ip(text)));
        ASSERT_TRUE(back) << text;
        EXPECT_EQ(to_string(*back), text);
    }
    EXPECT_EQ(reverse_name(ip("10.1.2.3")), "3.2.1.10.in-addr.arpa");
    EXPECT_FALSE(parse_reverse_name("256.2.1.10.in-addr.arpa"));
    EXPECT_FALSE(parse_reverse_name("x.2.1.10.in-addr.arpa"));
    EXPECT_FALSE(parse_reverse_name("1.1.2.1.10.in-addr.arpa"));
    EXPECT_FALSE(parse_reverse_name("2.1.10.in-addr.arpa"));
    EXPECT_FALSE(parse_reverse_name("g.0.ip6.arpa"));
    EXPECT_TRUE(is_reverse_name("in-addr.arpa"));
    EXPECT_FALSE(is_reverse_name("notin-addr.arpa"));
}

TEST_F(Project, UnhealthyReplicaLeavesTheServiceUntilHealthy) {
    for (auto& c : containers) c.has_healthcheck = c.service == "web";
    containers[0].healthy = true;
    containers[1].healthy = false;
    containers[2].healthy = true;
    EXPECT_EQ(sorted(texts(ask("web"))), (std::vector<std::string>{"172.20.0.2", "172.20.0.4"}));
    // Its own name still reaches it, and so does its PTR.
    EXPECT_EQ(texts(ask("p-web-2")), std::vector<std::string>{"172.20.0.3"});
    EXPECT_EQ(ask("3.0.20.172.in-addr.arpa", QueryType::PTR).ptr, "p-web-2.p_default");

    containers[1].healthy = true;
    EXPECT_EQ(ask("web").addresses.size(), 3u);

    // No replica fit to serve: the name is still ours, so NXDOMAIN rather than the upstream.
    for (auto& c : containers) c.healthy = false;
    EXPECT_EQ(ask("web").status, Status::NxDomain);
}

TEST_F(Project, HealthAwareOptOutKeepsUnhealthyReplicas) {
    for (auto& c : containers) {
        c.has_healthcheck = c.service == "web";
        c.health_aware = false;
    }
    EXPECT_EQ(ask("web").addresses.size(), 3u);
    containers[0].health_aware = true;
    EXPECT_EQ(sorted(texts(ask("web"))), (std::vector<std::string>{"172.20.0.3", "172.20.0.4"}));
}

TEST(HealthAwareLabel, ParsesLikeGo) {
    EXPECT_EQ(kHealthAwareLabel, "berth.dns.health-aware");
    for (const char* yes : {"true", "1", "TRUE", "True", "t"})
        EXPECT_TRUE(*parse_health_aware(yes));
    for (const char* no : {"false", "0", "FALSE", "False", "f"}) {
        EXPECT_FALSE(*parse_health_aware(no));
    }
    auto bad = parse_health_aware("nope");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message(),
              "invalid value \"nope\" for label berth.dns.health-aware: expected true or false");
}

TEST_F(Project, StoppedContainerIsGone) {
    containers[2].running = false;
    containers[3].running = false;
    EXPECT_EQ(sorted(texts(ask("web"))), (std::vector<std::string>{"172.20.0.2", "172.20.0.3"}));
    EXPECT_EQ(ask("p-web-3").status, Status::NxDomain);
    EXPECT_EQ(ask("db").status, Status::NxDomain);
    EXPECT_EQ(ask("database", QueryType::AAAA).status, Status::NxDomain);
    EXPECT_EQ(ask("4.0.20.172.in-addr.arpa", QueryType::PTR).status, Status::NxDomain);
}

// moby TestUserDefinedNetworkConnectDisconnectAlias, aardvark 200/300: an alias lives on the
// network it was given for; a container on two networks has an address on each.
TEST(Scope, AliasesAreSeenOnlyOnTheirNetwork) {
    std::vector<NetworkRecord> networks{net("n1", "net1", "10.1.0.0/24"),
                                        net("n2", "net2", "10.2.0.0/24")};
    std::vector<ContainerRecord> containers{
        ctr("first", "first", {on("n1", "10.1.0.2", {"foo"}), on("n2", "10.2.0.2", {"bar"})}),
        ctr("both", "both", {on("n1", "10.1.0.3"), on("n2", "10.2.0.3")}),
        ctr("only2", "only2", {on("n2", "10.2.0.4")}),
    };
    Snapshot s = build(networks, containers);
    const Address both = ip("10.1.0.3"), only2 = ip("10.2.0.4");
    auto a = [&](const Address& from, std::string_view name) {
        return texts(lookup(s, from, name, QueryType::A, 0));
    };
    EXPECT_EQ(a(both, "foo"), std::vector<std::string>{"10.1.0.2"});
    EXPECT_EQ(a(both, "bar"), std::vector<std::string>{"10.2.0.2"});
    // Both networks know "first": the asker's first network wins, as in Docker.
    EXPECT_EQ(a(both, "first"), std::vector<std::string>{"10.1.0.2"});
    EXPECT_EQ(a(both, "first.net2"), std::vector<std::string>{"10.2.0.2"});
    // The asker's other address on net2 picks the same view.
    EXPECT_EQ(a(ip("10.2.0.3"), "foo"), std::vector<std::string>{"10.1.0.2"});

    EXPECT_EQ(a(only2, "first"), std::vector<std::string>{"10.2.0.2"});
    EXPECT_EQ(a(only2, "bar"), std::vector<std::string>{"10.2.0.2"});
    EXPECT_EQ(lookup(s, only2, "foo", QueryType::A, 0).status, Status::NxDomain);
    EXPECT_EQ(lookup(s, only2, "first.net1", QueryType::A, 0).status, Status::NxDomain);
    EXPECT_EQ(lookup(s, only2, "3.0.1.10.in-addr.arpa", QueryType::PTR, 0).status,
              Status::NxDomain);
    EXPECT_EQ(lookup(s, only2, "3.0.2.10.in-addr.arpa", QueryType::PTR, 0).ptr, "both.net2");

    // network disconnect: first leaves net1, and foo with it.
    containers[0].endpoints.erase(containers[0].endpoints.begin());
    Snapshot after = build(networks, containers);
    // No container is called foo any more: the name is no longer berth's.
    EXPECT_EQ(lookup(after, both, "foo", QueryType::A, 0).status, Status::Forward);
    EXPECT_EQ(texts(lookup(after, both, "bar", QueryType::A, 0)),
              std::vector<std::string>{"10.2.0.2"});
}

// aardvark 200 "two containers on different networks"; another project is another network.
TEST(Scope, OtherNetworksAndProjectsAreNxDomain) {
    std::vector<NetworkRecord> networks{net("p", "p_default", "10.1.0.0/24"),
                                        net("q", "q_default", "10.2.0.0/24")};
    auto qweb = ctr("q-web-1", "web", {on("q", "10.2.0.2")});
    qweb.project = "q";
    auto qapi = ctr("q-api-1", "api", {on("q", "10.2.0.3")});
    qapi.project = "q";
    std::vector<ContainerRecord> containers{ctr("p-web-1", "web", {on("p", "10.1.0.2")}), qweb,
                                            qapi};
    Snapshot s = build(networks, containers);
    const Address pweb = ip("10.1.0.2");
    EXPECT_EQ(texts(lookup(s, pweb, "web", QueryType::A, 0)), std::vector<std::string>{"10.1.0.2"});
    for (const char* name : {"q-web-1", "api", "q-api-1.q_default", "web.q_default"}) {
        EXPECT_EQ(lookup(s, pweb, name, QueryType::A, 0).status, Status::NxDomain) << name;
    }
    EXPECT_EQ(texts(lookup(s, ip("10.2.0.3"), "web", QueryType::A, 0)),
              std::vector<std::string>{"10.2.0.2"});
}

// docker/compose TestNetworkAliases: `links: [container2:container]` and an alias both resolve.
TEST(Scope, LinksResolveForTheLinkingContainerOnly) {
    std::vector<NetworkRecord> networks{net("n1", "p_default", "10.1.0.0/24")};
    auto c1 = ctr("p-container1-1", "container1", {on("n1", "10.1.0.2")});
    c1.endpoints[0].links = {{"container", "container2"}};
    std::vector<ContainerRecord> containers{
        c1, ctr("p-container2-1", "container2", {on("n1", "10.1.0.3", {"alias-of-container2"})})};
    Snapshot s = build(networks, containers);
    for (const char* name : {"container", "Alias-Of-Container2", "container2"}) {
        EXPECT_EQ(texts(lookup(s, ip("10.1.0.2"), name, QueryType::A, 0)),
                  std::vector<std::string>{"10.1.0.3"})
            << name;
    }
    EXPECT_EQ(lookup(s, ip("10.1.0.3"), "container", QueryType::A, 0).status, Status::Forward);
    // The link outlives its target's run, and answers NXDOMAIN meanwhile.
    containers[1].running = false;
    EXPECT_EQ(
        lookup(build(networks, containers), ip("10.1.0.2"), "container", QueryType::A, 0).status,
        Status::NxDomain);
}

// A dotted alias may stand in for a real domain on one network; the others still reach the real
// one.
TEST(Scope, DottedAliasElsewhereIsForwarded) {
    std::vector<NetworkRecord> networks{net("p", "p_default", "10.1.0.0/24"),
                                        net("q", "q_default", "10.2.0.0/24")};
    std::vector<ContainerRecord> containers{
        ctr("mock", "mock", {on("p", "10.1.0.2", {"api.example.com"})}),
        ctr("p-client", "client", {on("p", "10.1.0.3")}),
        ctr("q-client", "client", {on("q", "10.2.0.3")}),
    };
    Snapshot s = build(networks, containers);
    EXPECT_EQ(texts(lookup(s, ip("10.1.0.3"), "api.example.com", QueryType::A, 0)),
              std::vector<std::string>{"10.1.0.2"});
    EXPECT_EQ(lookup(s, ip("10.2.0.3"), "api.example.com", QueryType::A, 0).status,
              Status::Forward);
    EXPECT_EQ(lookup(s, ip("10.2.0.3"), "mock", QueryType::A, 0).status, Status::NxDomain);
}

TEST(Internal, NothingIsForwardedFromInternalOnlyContainers) {
    std::vector<NetworkRecord> networks{net("i", "p_back", "10.1.0.0/24", true),
                                        net("e", "p_front", "10.2.0.0/24")};
    std::vector<ContainerRecord> containers{
        ctr("inner", "inner", {on("i", "10.1.0.2")}),
        ctr("edge", "edge", {on("i", "10.1.0.3"), on("e", "10.2.0.3")}),
    };
    Snapshot s = build(networks, containers);
    EXPECT_EQ(lookup(s, ip("10.1.0.2"), "example.com", QueryType::A, 0).status, Status::NxDomain);
    EXPECT_EQ(lookup(s, ip("10.1.0.2"), "8.8.8.8.in-addr.arpa", QueryType::PTR, 0).status,
              Status::NxDomain);
    EXPECT_EQ(texts(lookup(s, ip("10.1.0.2"), "edge", QueryType::A, 0)),
              std::vector<std::string>{"10.1.0.3"});
    EXPECT_EQ(lookup(s, ip("10.1.0.3"), "example.com", QueryType::A, 0).status, Status::Forward);
}

TEST(Build, RefusesUnknownAndDuplicateNetworks) {
    auto unknown = Snapshot::build({net("n1", "a", "10.1.0.0/24")},
                                   {ctr("web", "web", {on("n9", "10.9.0.2")})});
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().message(), "container web: network n9 is not known");
    auto twice =
        Snapshot::build({net("n1", "a", "10.1.0.0/24"), net("n1", "b", "10.2.0.0/24")}, {});
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().message(), "network n1 is listed twice");
}

TEST(Store, PublishSwapsWholeSnapshots) {
    RecordStore store;
    ASSERT_NE(store.current(), nullptr);
    EXPECT_EQ(store.current()->network_count(), 0u);

    std::vector<NetworkRecord> networks{net("n1", "p_default", "10.1.0.0/16")};
    std::vector<ContainerRecord> containers{ctr("client", "client", {on("n1", "10.1.0.2")})};
    store.publish(build(networks, containers));
    auto held = store.current();
    EXPECT_EQ(lookup(*held, ip("10.1.0.2"), "web", QueryType::A, 0).status, Status::Forward);

    // Readers race the writer: at scale step k every web replica carries the alias "gen-k", so a
    // reader that sees k replicas must find "gen-k" with k addresses in the same snapshot.
    std::atomic<bool> done{false};
    std::atomic<int> torn{0}, reads{0};
    std::thread reader([&] {
        Answer web, gen;
        for (std::uint64_t n = 0; !done.load(); ++n) {
            auto snap = store.current();
            lookup(*snap, ip("10.1.0.2"), "web", QueryType::A, n, web);
            if (web.status != Status::Found) continue;
            auto k = web.addresses.size();
            lookup(*snap, ip("10.1.0.2"), "gen-" + std::to_string(k), QueryType::A, n, gen);
            if (gen.addresses.size() != k) ++torn;
            ++reads;
        }
    });
    for (int k = 1; k <= 200; ++k) {
        std::string a = "10.1.1." + std::to_string(k);
        containers.push_back(ctr("web-" + std::to_string(k), "web", {on("n1", a.c_str())}));
        for (auto& c : containers) {
            if (c.service == "web") c.endpoints[0].aliases = {"gen-" + std::to_string(k)};
        }
        store.publish(build(networks, containers));
    }
    done = true;
    reader.join();
    EXPECT_EQ(torn.load(), 0);
    std::printf("%d consistent reads during 200 publishes\n", reads.load());
    EXPECT_EQ(lookup(*store.current(), ip("10.1.0.2"), "web", QueryType::A, 0).addresses.size(),
              200u);
    EXPECT_EQ(lookup(*held, ip("10.1.0.2"), "web", QueryType::A, 0).status, Status::Forward);
}

TEST(Scale, TenThousandNamesInOneNetwork) {
    std::vector<NetworkRecord> networks{net("n1", "big_default", "10.8.0.0/16")};
    std::vector<ContainerRecord> containers;
    auto address = [](int i) {
        return "10.8." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 2);
    };
    for (int i = 0; i < 10000; ++i) {
        auto a = address(i);
        containers.push_back(ctr("big-svc-" + std::to_string(i), "svc" + std::to_string(i % 100),
                                 {on("n1", a.c_str())}));
    }
    auto start = std::chrono::steady_clock::now();
    Snapshot s = build(networks, containers);
    auto built = std::chrono::steady_clock::now();
    std::printf("built %zu names (10000 containers) in %.1f ms\n", s.name_count(),
                std::chrono::duration<double, std::milli>(built - start).count());

    const Address asker = ip("10.8.0.2");
    Answer a;
    for (int i = 0; i < 10000; ++i) {
        lookup(s, asker, "big-svc-" + std::to_string(i), QueryType::A, i, a);
        ASSERT_EQ(a.status, Status::Found) << i;
        ASSERT_EQ(texts(a), std::vector<std::string>{address(i)}) << i;
    }
    lookup(s, asker, "svc7", QueryType::A, 0, a);
    EXPECT_EQ(a.addresses.size(), 100u);

    constexpr int kLookups = 200000;
    const std::string names[] = {"big-svc-4242", "svc3", "example.com", "nothing.big_default"};
    start = std::chrono::steady_clock::now();
    for (int i = 0; i < kLookups; ++i) lookup(s, asker, names[i % 4], QueryType::A, i, a);
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%d lookups in %.1f ms: %.0f per second\n", kLookups, seconds * 1000,
                kLookups / seconds);
}

}  // namespace
