#include <gtest/gtest.h>

#include "engine/capabilities.hpp"

namespace berth::engine {
namespace {

constexpr int kLast = 40;

CapMask bit(int cap) {
    return CapMask{1} << cap;
}

TEST(Capabilities, NamesWithOrWithoutPrefixAnyCase) {
    EXPECT_EQ(cap_from_name("NET_ADMIN"), 12);
    EXPECT_EQ(cap_from_name("cap_net_admin"), 12);
    EXPECT_EQ(cap_from_name("CAP_NET_ADMIN"), 12);
    EXPECT_EQ(cap_from_name("Cap_Chown"), 0);
    EXPECT_EQ(cap_from_name("checkpoint_restore"), 40);
    EXPECT_FALSE(cap_from_name("NET_WIZARD").has_value());
    EXPECT_FALSE(cap_from_name("").has_value());
}

TEST(Capabilities, NumbersToNames) {
    EXPECT_EQ(cap_name(0), "CAP_CHOWN");
    EXPECT_EQ(cap_name(21), "CAP_SYS_ADMIN");
    EXPECT_EQ(cap_name(41), "CAP_41");
    for (int cap = 0; cap <= kLastKnownCap; ++cap) {
        EXPECT_EQ(cap_from_name(cap_name(cap)), cap) << cap;
    }
}

TEST(Capabilities, DockerDefaultIsTheFourteen) {
    const char* names[] = {
        "CHOWN",   "DAC_OVERRIDE",     "FOWNER",  "FSETID",     "KILL",  "SETGID",      "SETUID",
        "SETPCAP", "NET_BIND_SERVICE", "NET_RAW", "SYS_CHROOT", "MKNOD", "AUDIT_WRITE", "SETFCAP"};
    CapMask mask = 0;
    for (const char* n : names) mask |= bit(*cap_from_name(n));
    EXPECT_EQ(mask, kDockerDefaultCaps);
    EXPECT_EQ(__builtin_popcountll(kDockerDefaultCaps), 14);
    EXPECT_EQ(*compute_caps({}, {}, false, kLast), 0xa80425fbULL);
}

TEST(Capabilities, AllCapsFollowsTheKernel) {
    EXPECT_EQ(all_caps(40), 0x1ffffffffffULL);
    EXPECT_EQ(all_caps(37), 0x3fffffffffULL);
    EXPECT_EQ(all_caps(63), ~CapMask{0});
}

TEST(Capabilities, AddAndDrop) {
    auto caps = compute_caps({"NET_ADMIN", "cap_sys_ptrace"}, {"CHOWN", "CAP_KILL"}, false, kLast);
    ASSERT_TRUE(caps);
    EXPECT_EQ(*caps, (kDockerDefaultCaps | bit(12) | bit(19)) & ~bit(0) & ~bit(5));
}

TEST(Capabilities, DropAllKeepsOnlyAdded) {
    EXPECT_EQ(*compute_caps({}, {"ALL"}, false, kLast), 0u);
    EXPECT_EQ(*compute_caps({"NET_BIND_SERVICE"}, {"all"}, false, kLast), bit(10));
}

TEST(Capabilities, AddAllMinusDrops) {
    EXPECT_EQ(*compute_caps({"ALL"}, {}, false, kLast), all_caps(kLast));
    EXPECT_EQ(*compute_caps({"ALL"}, {"SYS_ADMIN"}, false, kLast), all_caps(kLast) & ~bit(21));
}

TEST(Capabilities, PrivilegedIsEverythingTheKernelKnows) {
    EXPECT_EQ(*compute_caps({}, {"ALL"}, true, 37), all_caps(37));
}

TEST(Capabilities, CapsAboveLastCapAreLeftOut) {
    EXPECT_EQ(*compute_caps({"BPF"}, {"ALL"}, false, 37), 0u);
}

TEST(Capabilities, UnknownNameIsAnError) {
    auto caps = compute_caps({"NET_WIZARD"}, {}, false, kLast);
    ASSERT_FALSE(caps);
    EXPECT_EQ(caps.error().message(), "unknown capability: \"NET_WIZARD\"");
    EXPECT_FALSE(compute_caps({}, {"FOO"}, false, kLast));
}

TEST(Capabilities, ToString) {
    EXPECT_EQ(caps_to_string(bit(0) | bit(5)), "CAP_CHOWN,CAP_KILL");
    EXPECT_EQ(caps_to_string(0), "");
}

}  // namespace
}  // namespace berth::engine
