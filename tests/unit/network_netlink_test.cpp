// Links, addresses and routes through rtnetlink, as root, inside network namespaces the test
// makes (the host's interfaces are never touched): a bridge and a veth pair whose peer is born in
// a second namespace carry a TCP connection from that namespace to the bridge's address.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>

#include "network/netlink.hpp"

using namespace berth::network;

namespace {

Address addr(const char* text) {
    return parse_address(text).value();
}

// Prints what failed and returns the exit status for the child.
int failed(const std::string& what, const berth::Error& e) {
    std::fprintf(stderr, "%s: %s\n", what.c_str(), e.message().c_str());
    return 1;
}

#define STEP(expr, what)                                            \
    do {                                                            \
        if (auto r_ = (expr); !r_) return failed(what, r_.error()); \
    } while (0)

// From the namespace open as ns_fd: a TCP connection to ip:port, made by a thread that enters it.
bool connect_from(int ns_fd, const char* ip, int port) {
    bool ok = false;
    std::thread([&] {
        if (::setns(ns_fd, CLONE_NEWNET) != 0) return;
        int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_port = htons(static_cast<std::uint16_t>(port));
        ::inet_pton(AF_INET, ip, &sa.sin_addr);
        ok = ::connect(s, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
        ::close(s);
    }).join();
    return ok;
}

int in_private_namespaces() {
    if (::unshare(CLONE_NEWNET) != 0) return 2;
    // The "container": a process alone in a namespace of its own, until its pipe closes.
    int hold[2];
    if (::pipe(hold) != 0) return 3;
    pid_t box = ::fork();
    if (box == 0) {
        ::close(hold[1]);
        if (::unshare(CLONE_NEWNET) != 0) _exit(1);
        char c;
        while (::read(hold[0], &c, 1) > 0) {
        }
        _exit(0);
    }
    ::close(hold[0]);
    const std::string ns_path = "/proc/" + std::to_string(box) + "/ns/net";
    // Wait until the box has its own namespace (its link differs from ours).
    char mine[64] = {}, theirs[64] = {};
    ::readlink("/proc/self/ns/net", mine, sizeof mine - 1);
    for (int i = 0; i < 2000; ++i) {
        ::readlink(ns_path.c_str(), theirs, sizeof theirs - 1);
        if (std::string(theirs) != mine) break;
        std::this_thread::yield();
    }
    int ns_fd = ::open(ns_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (ns_fd < 0) return 4;

    auto host = Netlink::open();
    if (!host) return failed("open", host.error());
    STEP(host->set_up("lo"), "lo up");
    STEP(host->add_bridge("br-test", 0), "bridge");
    STEP(host->add_address("br-test", addr("10.9.0.1"), 24), "bridge address");
    STEP(host->set_up("br-test"), "bridge up");
    STEP(host->add_veth("vethtest", "eth0", ns_fd, 1400), "veth");
    STEP(host->set_master("vethtest", "br-test"), "master");
    STEP(host->set_up("vethtest"), "veth up");
    if (host->exists("eth0"))
        return failed("veth", berth::Error("eth0 was made here, not in the box"));

    auto box_nl = Netlink::open_in(ns_path);
    if (!box_nl) return failed("open_in", box_nl.error());
    STEP(box_nl->set_up("lo"), "box lo up");
    STEP(box_nl->add_address("eth0", addr("10.9.0.2"), 24), "box address");
    STEP(box_nl->set_up("eth0"), "box eth0 up");
    STEP(box_nl->add_default_route("eth0", addr("10.9.0.1")), "box default route");

    int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    ::inet_pton(AF_INET, "10.9.0.1", &sa.sin_addr);
    socklen_t len = sizeof sa;
    if (::bind(listener, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 ||
        ::listen(listener, 1) != 0 ||
        ::getsockname(listener, reinterpret_cast<sockaddr*>(&sa), &len) != 0) {
        return 5;
    }
    if (!connect_from(ns_fd, "10.9.0.1", ntohs(sa.sin_port))) {
        return failed("traffic", berth::Error("no connection from the box to the bridge"));
    }
    sockaddr_in peer{};
    len = sizeof peer;
    int conn = ::accept(listener, reinterpret_cast<sockaddr*>(&peer), &len);
    char peer_ip[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, &peer.sin_addr, peer_ip, sizeof peer_ip);
    if (conn < 0 || std::string(peer_ip) != "10.9.0.2") {
        return failed("traffic", berth::Error(std::string("the peer was ") + peer_ip));
    }

    STEP(host->delete_link("vethtest"), "delete veth");
    STEP(host->delete_link("br-test"), "delete bridge");
    if (host->exists("br-test") || host->exists("vethtest")) {
        return failed("teardown", berth::Error("links remain"));
    }
    STEP(host->delete_link("br-test"), "delete a missing link");
    ::close(hold[1]);
    int status = 0;
    ::waitpid(box, &status, 0);
    return 0;
}

TEST(Netlink, BridgeAndVethCarryTrafficInNamespacesOfTheirOwn) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (network namespaces, links)";
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) _exit(in_private_namespaces());
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "see the child's message above";
}

}  // namespace
