// berthd's network manager against the kernel, as root, in network and mount namespaces the test
// makes (the host is never touched): a network gets a pool subnet and a bridge; a container gets
// a pinned namespace with eth0, the next address and a default route; a freed address is not
// handed out again at once; a published port is held; a network in use is not removed; after
// its pin is gone (a reboot) restore makes the namespace again with the same address; release
// and remove leave no link, no pin and no firewall table behind.
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "daemon/state.hpp"
#include "network/netlink.hpp"
#include "network/netns.hpp"
#include "network/nftables.hpp"
#include "network/port_reservation.hpp"
#include "network_manager.hpp"
#include "step_support.hpp"

using namespace berth;
using test_support::failed;

namespace {

std::string id_of(int i) {
    char buf[65];
    std::snprintf(buf, sizeof buf, "%064x", i);
    return buf;
}

network::NetworkSpec bridge(const std::string& name) {
    network::NetworkSpec s;
    s.key = name;
    s.name = name;
    return s;
}

// The container's eth0 address, read inside its namespace.
bool has_address(const std::string& netns, const std::string& ifname, const std::string& ip) {
    auto nl = network::Netlink::open_in(netns);
    if (!nl || !nl->exists(ifname)) return false;
    // A second add of the same address is refused by the kernel: the address is there.
    auto again = nl->add_address(ifname, *network::parse_address(ip), 16);
    return !again;
}

bool table_exists() {
    auto out = network::nft_query("list tables");
    return out && out->find("inet berth") != std::string::npos;
}

int scenario(const std::string& root) {
    auto nl = network::Netlink::open();
    if (!nl) return failed("netlink", nl.error().message());
    STEP(nl->set_up("lo"), "lo");
    auto db = daemon::StateDb::open(root + "/berth.db");
    if (!db) return failed("state", db.error().message());
    auto mgr = std::make_unique<daemon::NetworkManager>(
        **db, daemon::NetworkManagerOptions{root + "/netns", {}, "/nonexistent", true});

    auto net = mgr->create(bridge("demo_default"), "demo");
    if (!net) return failed("create", net.error().message());
    CHECK(net->link == "br-" + net->id.substr(0, 12), "bridge name");
    CHECK(nl->exists(net->link), "bridge made");
    CHECK(daemon::parse_ipam(net->ipam).subnets.at(0).subnet == "172.17.0.0/16", "first pool");
    CHECK(table_exists(), "firewall table");
    CHECK(!mgr->create(bridge("demo_default"), "demo"), "a second network of one name");

    scheduler::Attachment a;
    a.network = "default";
    std::vector<scheduler::PublishedPort> ports{{"tcp", "127.0.0.1", 18555, 18555, 80}};
    STEP(mgr->setup_container(id_of(1), {{*net, a}}, ports), "setup 1");
    const std::string ns1 = mgr->netns_path(id_of(1));
    CHECK(has_address(ns1, "eth0", "172.17.0.2"), "first address");
    auto taken = network::reserve_port({"tcp", network::parse_address("127.0.0.1"), 18555});
    CHECK(!taken, "the published port is held");
    CHECK(!mgr->check_ports_free(ports, {}), "check_ports_free sees it taken");
    STEP(mgr->check_ports_free(ports, {id_of(1)}), "check_ports_free lets its owner pass");

    auto removed = mgr->remove(*mgr->find("demo_default").value());
    CHECK(!removed && removed.error().message().find("has active endpoints") != std::string::npos,
          "a network in use stays");

    // After a reboot the pin is gone; the state still has the endpoint.
    STEP(network::remove_netns(ns1), "drop the pin");
    STEP(mgr->restore({id_of(1)}), "restore");
    CHECK(has_address(ns1, "eth0", "172.17.0.2"), "the same address after restore");

    net = *mgr->find("demo_default").value();
    STEP(mgr->release_container(id_of(1)), "release 1");
    mgr->settle();
    CHECK(::access(ns1.c_str(), F_OK) != 0, "pin removed");
    STEP(mgr->setup_container(id_of(2), {{*net, a}}, {}), "setup 2");
    CHECK(has_address(mgr->netns_path(id_of(2)), "eth0", "172.17.0.3"),
          "a freed address is not handed out at once");
    auto again = network::reserve_port({"tcp", network::parse_address("127.0.0.1"), 18555});
    CHECK(again.ok(), "the port is free once its container went");

    STEP(mgr->release_container(id_of(2)), "release 2");
    STEP(mgr->remove(*mgr->find("demo_default").value()), "remove");
    mgr->settle();
    CHECK(!nl->exists(net->link), "bridge deleted");
    CHECK(!table_exists(), "no firewall table once nothing is left");
    auto eps = (*db)->endpoints();
    CHECK(eps && eps->empty(), "no endpoint rows");
    return 0;
}

}  // namespace

TEST(NetworkManager, NetworksContainersPortsAndRestoreInNamespacesOfTheirOwn) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (network namespaces, links, nftables)";
    char tmpl[] = "/tmp/netmgr-test-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    const std::string root = tmpl;
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        if (::unshare(CLONE_NEWNET | CLONE_NEWNS) != 0 ||
            ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
            _exit(3);
        }
        _exit(scenario(root));
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    std::error_code ec;
    std::filesystem::remove_all(root, ec);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
}
