// The upstream servers of berth's resolver: the host's resolv.conf as it is now, or daemon.json's.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "upstream_servers.hpp"

namespace berth::daemon {
namespace {

std::string text(const std::vector<dns::Upstream>& v) {
    std::string out;
    for (const auto& u : v)
        out += network::to_string(u.address) + ":" + std::to_string(u.port) + " ";
    return out;
}

TEST(UpstreamServers, ParsesNameserverLines) {
    EXPECT_EQ(text(parse_nameservers("# x\nnameserver 10.0.0.1\nsearch a\nnameserver fe80::1%eth0\n"
                                     "nameserver bogus\nnameserver\n")),
              "10.0.0.1:53 fe80::1:53 ");
}

TEST(UpstreamServers, ConfiguredServersWin) {
    UpstreamServers u("/nonexistent/resolv.conf", {"192.0.2.1", "not-an-ip"});
    EXPECT_EQ(text(u.current()), "192.0.2.1:53 ");
}

TEST(UpstreamServers, TheHostsFileIsReadAgainWhenItChanges) {
    char dir[] = "/tmp/berth-upstreams-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    const std::string path = std::string(dir) + "/resolv.conf";
    std::ofstream(path) << "nameserver 10.0.0.1\n";
    UpstreamServers u(path, {});
    EXPECT_EQ(text(u.current()), "10.0.0.1:53 ");
    // A new file (a new inode, as resolvconf and NetworkManager write it).
    std::ofstream(path + ".new") << "nameserver 10.0.0.2\nnameserver 10.0.0.3\n";
    ASSERT_EQ(::rename((path + ".new").c_str(), path.c_str()), 0);
    // Looked at no more than once a second: poll until the change is seen.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    std::string seen;
    while (std::chrono::steady_clock::now() < deadline) {
        seen = text(u.current());
        if (seen == "10.0.0.2:53 10.0.0.3:53 ") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(seen, "10.0.0.2:53 10.0.0.3:53 ");
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace berth::daemon
