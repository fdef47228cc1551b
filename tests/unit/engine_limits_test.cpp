#include <gtest/gtest.h>
#include <sys/resource.h>

#include "engine/limits.hpp"

namespace berth::engine {
namespace {

TEST(Rlimits, Names) {
    EXPECT_EQ(rlimit_from_name("nofile"), RLIMIT_NOFILE);
    EXPECT_EQ(rlimit_from_name("NPROC"), RLIMIT_NPROC);
    EXPECT_EQ(rlimit_from_name("RLIMIT_CORE"), RLIMIT_CORE);
    EXPECT_EQ(rlimit_from_name("rlimit_memlock"), RLIMIT_MEMLOCK);
    EXPECT_EQ(rlimit_from_name("as"), RLIMIT_AS);
    EXPECT_EQ(rlimit_from_name("rttime"), RLIMIT_RTTIME);
    EXPECT_FALSE(rlimit_from_name("nofiles").has_value());
}

TEST(Rlimits, BelowTheHardLimitIsKept) {
    auto r = clamp_rlimit({"nofile", 1024, 4096}, 20000);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->resource, RLIMIT_NOFILE);
    EXPECT_EQ(r->soft, 1024u);
    EXPECT_EQ(r->hard, 4096u);
    EXPECT_TRUE(r->warning.empty());
}

TEST(Rlimits, AboveTheHardLimitIsClampedWithAWarning) {
    auto r = clamp_rlimit({"nofile", 1048576, 1048576}, 20000);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->soft, 20000u);
    EXPECT_EQ(r->hard, 20000u);
    EXPECT_NE(r->warning.find("ulimit nofile"), std::string::npos);
    EXPECT_NE(r->warning.find("20000"), std::string::npos);
    EXPECT_NE(r->warning.find("CAP_SYS_RESOURCE"), std::string::npos);
}

TEST(Rlimits, OnlyTheHardPartAboveKeepsTheSoftOne) {
    auto r = clamp_rlimit({"nproc", 100, kRlimInfinity}, 5000);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->soft, 100u);
    EXPECT_EQ(r->hard, 5000u);
    EXPECT_NE(r->warning.find("unlimited"), std::string::npos);
}

TEST(Rlimits, UnlimitedHostKeepsEverything) {
    auto r = clamp_rlimit({"core", kRlimInfinity, kRlimInfinity}, kRlimInfinity);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->hard, kRlimInfinity);
    EXPECT_TRUE(r->warning.empty());
}

TEST(Rlimits, Errors) {
    EXPECT_EQ(clamp_rlimit({"bogus", 1, 1}, 10).error().message(), "unknown ulimit \"bogus\"");
    EXPECT_FALSE(clamp_rlimit({"nofile", 10, 5}, 100));
}

TEST(Sysctls, IpcOnesNeedAPrivateIpcNamespace) {
    const PrivateNamespaces all;
    for (const char* key :
         {"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall",
          "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced", "fs.mqueue.msg_max"}) {
        EXPECT_TRUE(validate_sysctl(key, all)) << key;
        EXPECT_FALSE(validate_sysctl(key, {false, true, true})) << key;
    }
}

TEST(Sysctls, NetOnesNeedAPrivateNetworkNamespace) {
    EXPECT_TRUE(validate_sysctl("net.ipv4.ip_forward", {}));
    EXPECT_TRUE(validate_sysctl("net/ipv4/conf/eth0.100/forwarding", {}));
    auto host = validate_sysctl("net.ipv4.ip_forward", {true, false, true});
    ASSERT_FALSE(host);
    EXPECT_NE(host.error().message().find("network namespace"), std::string::npos);
}

TEST(Sysctls, UtsOnes) {
    EXPECT_TRUE(validate_sysctl("kernel.domainname", {}));
    EXPECT_FALSE(validate_sysctl("kernel.hostname", {true, true, false}));
}

TEST(Sysctls, HostWideOnesAreRefused) {
    for (const char* key : {"kernel.pid_max", "vm.swappiness", "fs.file-max", "kernel.msg",
                            "kernel.shm", "fs.mqueue"}) {
        auto r = validate_sysctl(key, {});
        ASSERT_FALSE(r) << key;
        EXPECT_NE(r.error().message().find("not in a separate kernel namespace"),
                  std::string::npos);
    }
}

TEST(Sysctls, PathTricksAreRefused) {
    for (const char* key :
         {"net/../kernel/core_pattern", "net.ipv4..x", "net/./x", "/net/x", "net.", "net//x", ""}) {
        auto r = validate_sysctl(key, {});
        ASSERT_FALSE(r) << key;
        EXPECT_NE(r.error().message().find("invalid sysctl name"), std::string::npos) << key;
    }
}

TEST(Sysctls, Paths) {
    EXPECT_EQ(sysctl_path("net.ipv4.ip_forward"), "/proc/sys/net/ipv4/ip_forward");
    EXPECT_EQ(sysctl_path("net/ipv4/conf/eth0.100/forwarding"),
              "/proc/sys/net/ipv4/conf/eth0.100/forwarding");
    EXPECT_EQ(sysctl_path("kernel.shmmax"), "/proc/sys/kernel/shmmax");
}

}  // namespace
}  // namespace berth::engine
