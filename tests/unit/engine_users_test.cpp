#include <gtest/gtest.h>

#include "engine/users.hpp"

namespace berth::engine {
namespace {

constexpr const char* kPasswd =
    "root:x:0:0:root:/root:/bin/sh\n"
    "# a comment\n"
    "\n"
    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
    "broken line\n"
    "alice:x:1000:1000:Alice:/home/alice:/bin/sh\r\n"
    "nohome:x:1001:1001:::/bin/sh\n";

constexpr const char* kGroup =
    "root:x:0:\n"
    "wheel:x:10:alice,bob\n"
    "alice:x:1000:\n"
    "audio:x:29:alice\n"
    "staff:x:50:\n"
    "bad:x:notanumber:\n";

class Users : public ::testing::Test {
  protected:
    std::vector<PasswdEntry> passwd = parse_passwd(kPasswd);
    std::vector<GroupEntry> groups = parse_group(kGroup);

    ExecUser ok(const std::string& user, const std::vector<std::string>& extra = {}) {
        auto r = resolve_user(user, extra, passwd, groups);
        EXPECT_TRUE(r) << (r ? "" : r.error().message());
        return r ? *r : ExecUser{};
    }
    std::string err(const std::string& user, const std::vector<std::string>& extra = {}) {
        auto r = resolve_user(user, extra, passwd, groups);
        EXPECT_FALSE(r);
        return r ? "" : r.error().message();
    }
};

TEST_F(Users, ParsesPasswdSkippingCommentsAndBrokenLines) {
    ASSERT_EQ(passwd.size(), 4u);
    EXPECT_EQ(passwd[2].name, "alice");
    EXPECT_EQ(passwd[2].uid, 1000u);
    EXPECT_EQ(passwd[2].home, "/home/alice");
    EXPECT_EQ(passwd[2].shell, "/bin/sh");
}

TEST_F(Users, ParsesGroupMembers) {
    ASSERT_EQ(groups.size(), 5u);
    EXPECT_EQ(groups[1].name, "wheel");
    EXPECT_EQ(groups[1].members, (std::vector<std::string>{"alice", "bob"}));
}

TEST_F(Users, EmptyIsRootWithItsHome) {
    auto u = ok("");
    EXPECT_EQ(u.uid, 0u);
    EXPECT_EQ(u.gid, 0u);
    EXPECT_EQ(u.home, "/root");
    EXPECT_TRUE(u.groups.empty());
}

TEST_F(Users, NameGivesUidGidHomeAndMemberships) {
    auto u = ok("alice");
    EXPECT_EQ(u.uid, 1000u);
    EXPECT_EQ(u.gid, 1000u);
    EXPECT_EQ(u.home, "/home/alice");
    EXPECT_EQ(u.groups, (std::vector<gid_t>{10, 29}));
}

TEST_F(Users, NumericUidFoundInPasswd) {
    auto u = ok("1000");
    EXPECT_EQ(u.gid, 1000u);
    EXPECT_EQ(u.home, "/home/alice");
}

TEST_F(Users, NumericUidNotInPasswdUsesGidZeroAndSlash) {
    auto u = ok("4242");
    EXPECT_EQ(u.uid, 4242u);
    EXPECT_EQ(u.gid, 0u);
    EXPECT_EQ(u.home, "/");
}

TEST_F(Users, UidColonGid) {
    auto u = ok("1000:1000");
    EXPECT_EQ(u.uid, 1000u);
    EXPECT_EQ(u.gid, 1000u);
    // An explicit group means no lookup of memberships (runc GetExecUser).
    EXPECT_TRUE(u.groups.empty());
    auto v = ok("5000:6000");
    EXPECT_EQ(v.uid, 5000u);
    EXPECT_EQ(v.gid, 6000u);
}

TEST_F(Users, NameColonGroupName) {
    auto u = ok("alice:staff");
    EXPECT_EQ(u.uid, 1000u);
    EXPECT_EQ(u.gid, 50u);
}

TEST_F(Users, EmptyHomeFallsBackToSlash) {
    EXPECT_EQ(ok("nohome").home, "/");
}

TEST_F(Users, AdditionalGroupsByNameOrId) {
    auto u = ok("alice", {"staff", "4000", "wheel"});
    EXPECT_EQ(u.groups, (std::vector<gid_t>{10, 29, 50, 4000}));
}

TEST_F(Users, UnknownNamesAreErrorsNamingThem) {
    EXPECT_EQ(err("foo"), "unable to find user foo: no matching entries in passwd file");
    EXPECT_EQ(err("alice:nogroup"),
              "unable to find group nogroup: no matching entries in group file");
    EXPECT_EQ(err("alice", {"video"}),
              "unable to find group video: no matching entries in group file");
}

TEST_F(Users, EmptyFilesStillResolveIds) {
    auto r = resolve_user("1000:1000", {}, {}, {});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->uid, 1000u);
    EXPECT_EQ(r->home, "/");
    EXPECT_FALSE(resolve_user("alice", {}, {}, {}));
}

TEST_F(Users, OutOfRangeIdIsNotANumber) {
    EXPECT_EQ(err("4294967295"),
              "unable to find user 4294967295: no matching entries in passwd file");
}

}  // namespace
}  // namespace berth::engine
