// Sysctls are written only when they differ, through paths that cannot leave /proc/sys.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "network/sysctl.hpp"

using namespace berth::network;
namespace fs = std::filesystem;

namespace {

class Sysctl : public ::testing::Test {
  protected:
    void SetUp() override {
        root_ = testing::TempDir() + "berth-sysctl-" + std::to_string(::getpid());
        fs::create_directories(root_ + "/net/ipv4/conf/br-a.1");
        std::ofstream(root_ + "/net/ipv4/ip_forward") << "0\n";
        std::ofstream(root_ + "/net/ipv4/conf/br-a.1/route_localnet") << "1\n";
    }
    void TearDown() override { fs::remove_all(root_); }
    std::string read(const std::string& rel) {
        std::ifstream f(root_ + "/" + rel);
        return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    }
    std::string root_;
};

TEST_F(Sysctl, WritesOnlyWhatDiffers) {
    auto wrote = set_sysctl("net.ipv4.ip_forward", "1", root_);
    ASSERT_TRUE(wrote) << wrote.error().message();
    EXPECT_TRUE(*wrote);
    EXPECT_EQ(read("net/ipv4/ip_forward"), "1");
    // Already right: not written at all (so a read-only /proc is no error then); the file keeps
    // its own bytes, newline included.
    const std::string key = conf_key("ipv4", "br-a.1", "route_localnet");
    auto same = set_sysctl(key, "1", root_);
    ASSERT_TRUE(same) << same.error().message();
    EXPECT_FALSE(*same);
    EXPECT_EQ(read(key), "1\n");
}

TEST_F(Sysctl, KeysCannotLeaveTheRoot) {
    EXPECT_EQ(sysctl_path("net.ipv4.ip_forward", "/proc/sys").value(),
              "/proc/sys/net/ipv4/ip_forward");
    EXPECT_EQ(sysctl_path(conf_key("ipv6", "br-a.1", "accept_dad"), "/proc/sys").value(),
              "/proc/sys/net/ipv6/conf/br-a.1/accept_dad");
    EXPECT_FALSE(sysctl_path("net/../../etc/passwd"));
    EXPECT_FALSE(sysctl_path("net..ipv4"));
    EXPECT_FALSE(set_sysctl("net.ipv4.nosuch", "1", root_));
}

}  // namespace
