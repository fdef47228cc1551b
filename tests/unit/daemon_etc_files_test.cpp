// A container's /etc/hosts, /etc/hostname and /etc/resolv.conf, as Docker writes them.
#include <gtest/gtest.h>

#include "compose/yaml.hpp"
#include "etc_files.hpp"

namespace berth::daemon {
namespace {

compose::Node service(const std::string& yaml) {
    return compose::parse_yaml(yaml.empty() ? "{}" : yaml, "service.yaml").at(0);
}

const HostEtc kHost{"127.0.0.1 localhost\n10.0.0.5 build-host\n",
                    "nameserver 127.0.0.53\nnameserver 10.0.0.1\nsearch corp\n"};

TEST(EtcFiles, OwnNetworkGetsLoopbackNamesAndNoLoopbackResolver) {
    auto f = *etc_files(service(""), "demo-web-1", false, kHost);
    EXPECT_EQ(f.hostname, "demo-web-1\n");
    EXPECT_EQ(f.hosts, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
    EXPECT_EQ(f.resolv_conf, "nameserver 10.0.0.1\nsearch corp\n");
}

TEST(EtcFiles, HostNetworkSharesTheHostsFiles) {
    auto f = *etc_files(service(""), "h", true, kHost);
    EXPECT_EQ(f.hosts, kHost.hosts);
    EXPECT_EQ(f.resolv_conf, kHost.resolv_conf);
}

TEST(EtcFiles, ExtraHostsAreAppended) {
    auto f =
        *etc_files(service("extra_hosts: [somehost=162.242.195.82, 'v6host=[::1]', old:1.2.3.4]"),
                   "h", false, kHost);
    EXPECT_NE(f.hosts.find("162.242.195.82\tsomehost\n"), std::string::npos) << f.hosts;
    EXPECT_NE(f.hosts.find("::1\tv6host\n"), std::string::npos) << f.hosts;
    EXPECT_NE(f.hosts.find("1.2.3.4\told\n"), std::string::npos) << f.hosts;
}

TEST(EtcFiles, DnsSettingsReplaceTheHostsResolver) {
    auto f = *etc_files(service("dns: [8.8.8.8, 1.1.1.1]\ndns_search: [a.example, b.example]\n"
                                "dns_opt: [use-vc, ndots:2]\n"),
                        "h", true, kHost);
    EXPECT_EQ(f.resolv_conf,
              "nameserver 8.8.8.8\nnameserver 1.1.1.1\nsearch a.example b.example\n"
              "options use-vc ndots:2\n");
}

TEST(EtcFiles, BerthsResolversReplaceTheNameserversAndDnsBecomesTheirUpstream) {
    EtcNetwork net{{"172.20.0.1", "172.21.0.1"}, "172.20.0.2\th\n", "172.20.0.1"};
    auto f = *etc_files(service("dns: [8.8.8.8]\n"), "h", false, kHost, net);
    EXPECT_EQ(f.resolv_conf,
              "nameserver 172.20.0.1\nnameserver 172.21.0.1\nsearch corp\noptions ndots:0\n");
    EXPECT_NE(f.hosts.find("172.20.0.2\th\n"), std::string::npos) << f.hosts;
    EXPECT_EQ(dns_servers(service("dns: [8.8.8.8]\n")), std::vector<std::string>{"8.8.8.8"});
}

TEST(EtcFiles, DnsSearchAndOptionsGoWithBerthsResolvers) {
    EtcNetwork net{{"172.20.0.1"}, "", "172.20.0.1"};
    auto f = *etc_files(service("dns_search: [x.example]\ndns_opt: [ndots:3, timeout:1]\n"), "h",
                        false, kHost, net);
    EXPECT_EQ(f.resolv_conf,
              "nameserver 172.20.0.1\nsearch x.example\noptions ndots:3 timeout:1\n");
}

TEST(EtcFiles, HostGatewayIsTheFirstBridgeGateway) {
    EtcNetwork net{{"172.20.0.1"}, "", "172.20.0.1"};
    auto f = *etc_files(service("extra_hosts: ['host.docker.internal:host-gateway']"), "h", false,
                        kHost, net);
    EXPECT_NE(f.hosts.find("172.20.0.1\thost.docker.internal\n"), std::string::npos) << f.hosts;
    auto host = *etc_files(service("extra_hosts: ['h.internal=host-gateway']"), "h", true, kHost);
    EXPECT_NE(host.hosts.find("127.0.0.1\th.internal\n"), std::string::npos) << host.hosts;
    auto none = etc_files(service("extra_hosts: ['h.internal=host-gateway']"), "h", false, kHost);
    ASSERT_FALSE(none);
    EXPECT_NE(none.error().message().find("host-gateway needs a bridge network"),
              std::string::npos);
}

TEST(EtcFiles, WithNameserversKeepsEveryOtherLine) {
    EXPECT_EQ(with_nameservers("nameserver 10.0.0.1\n# note\nsearch a\nnameserver 10.0.1.1\n"
                               "options ndots:0\n",
                               {"172.30.0.1"}),
              "nameserver 172.30.0.1\n# note\nsearch a\noptions ndots:0\n");
}

}  // namespace
}  // namespace berth::daemon
