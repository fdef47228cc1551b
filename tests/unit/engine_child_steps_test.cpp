// The child's identity and process steps, run against a recording syscall table: the order of
// the calls is the point (bounding set before the uid switch, capset after it, no_new_privs only
// when asked), and so is the report a failure leaves for the parent.
#include <errno.h>
#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <cstring>
#include <string>
#include <vector>

#include "child_plan.hpp"
#include "process_setup.hpp"
#include "sync.hpp"
#include "sys.hpp"

namespace berth::engine::detail {
namespace {

std::vector<std::string> g_calls;
std::string g_fail_on;  // a call name that returns -1 with g_fail_errno
int g_fail_errno = EPERM;
const char* g_cwd = "/work";

int record(const std::string& call) {
    g_calls.push_back(call);
    if (!g_fail_on.empty() && call.rfind(g_fail_on, 0) == 0) {
        errno = g_fail_errno;
        return -1;
    }
    return 0;
}

std::string prctl_name(int option, unsigned long arg) {
    switch (option) {
        case PR_CAPBSET_DROP:
            return "capbset_drop " + std::to_string(arg);
        case PR_SET_KEEPCAPS:
            return "keepcaps " + std::to_string(arg);
        case PR_SET_DUMPABLE:
            return "dumpable " + std::to_string(arg);
        case PR_SET_NO_NEW_PRIVS:
            return "no_new_privs " + std::to_string(arg);
        case PR_CAP_AMBIENT:
            return "ambient_clear";
    }
    return "prctl " + std::to_string(option);
}

const SysCalls kFake = {
    [](int option, unsigned long arg) { return record(prctl_name(option, arg)); },
    [](std::size_t n, const gid_t* groups) {
        std::string call = "setgroups";
        for (std::size_t i = 0; i < n; ++i) call += " " + std::to_string(groups[i]);
        return record(call);
    },
    [](gid_t gid) { return record("setresgid " + std::to_string(gid)); },
    [](uid_t uid) { return record("setresuid " + std::to_string(uid)); },
    [](std::uint64_t caps, std::uint64_t inh) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "capset %llx inh %llx",
                      static_cast<unsigned long long>(caps), static_cast<unsigned long long>(inh));
        return record(buf);
    },
    [](const char* name, std::size_t len) {
        return record("sethostname " + std::string(name, len));
    },
    [](const char* name, std::size_t len) {
        return record("setdomainname " + std::string(name, len));
    },
    [](int resource, std::uint64_t soft, std::uint64_t hard) {
        return record("setrlimit " + std::to_string(resource) + " " + std::to_string(soft) + " " +
                      std::to_string(hard));
    },
    [](const char* path) { return record(std::string("chdir ") + path); },
    [](char* buf, std::size_t size) -> char* {
        if (record("getcwd") < 0) return nullptr;
        std::snprintf(buf, size, "%s", g_cwd);
        return buf;
    },
};

class ChildSteps : public ::testing::Test {
  protected:
    void SetUp() override {
        g_calls.clear();
        g_fail_on.clear();
        g_fail_errno = EPERM;
        g_cwd = "/work";
        set_sys_for_testing(&kFake);
        plan.last_cap = 40;
        plan.caps = kDockerDefaultCaps;
        plan.user = {1000, 1000, {50, 60}, "/home/u"};
        plan.cwd = "/work";
    }
    void TearDown() override { set_sys_for_testing(nullptr); }

    std::vector<std::string> after_bounding() const {
        std::vector<std::string> rest;
        for (const auto& c : g_calls) {
            if (c.rfind("capbset_drop", 0) != 0) rest.push_back(c);
        }
        return rest;
    }
    std::string reported() const { return report_error(last_report()).message(); }

    ChildPlan plan;
};

TEST_F(ChildSteps, DropPrivilegesInRuncOrder) {
    ASSERT_TRUE(drop_privileges(plan));
    // Every cap outside Docker's 14 leaves the bounding set first, while CAP_SETPCAP is held.
    std::vector<std::string> drops(g_calls.begin(), g_calls.begin() + 27);
    EXPECT_EQ(drops.front(), "capbset_drop 2");
    EXPECT_EQ(drops.back(), "capbset_drop 40");
    EXPECT_EQ(after_bounding(), (std::vector<std::string>{
                                    "keepcaps 1",
                                    "setgroups 50 60",
                                    "setresgid 1000",
                                    "setresuid 1000",
                                    "capset a80425fb inh 0",
                                    "ambient_clear",
                                    "keepcaps 0",
                                    "dumpable 0",
                                }));
}

TEST_F(ChildSteps, NoNewPrivsOnlyWhenAsked) {
    plan.no_new_privs = true;
    ASSERT_TRUE(drop_privileges(plan));
    EXPECT_EQ(g_calls.back(), "no_new_privs 1");
}

TEST_F(ChildSteps, DropAllEmptiesTheBoundingSet) {
    plan.caps = 0;
    ASSERT_TRUE(drop_privileges(plan));
    EXPECT_EQ(g_calls.size(), 41u + 8u);
    EXPECT_EQ(g_calls[41 + 4], "capset 0 inh 0");
}

TEST_F(ChildSteps, AFailedUidSwitchIsReported) {
    g_fail_on = "setresuid";
    EXPECT_FALSE(drop_privileges(plan));
    EXPECT_EQ(g_calls.back(), "setresuid 1000");
    EXPECT_EQ(reported(), "setresuid: Operation not permitted");
    g_calls.clear();
    g_fail_on = "setresgid";
    EXPECT_FALSE(drop_privileges(plan));
    EXPECT_EQ(reported(), "setresgid: Operation not permitted");
}

TEST_F(ChildSteps, NamesAndRlimits) {
    plan.hostname = "box";
    plan.rlimits = {{RLIMIT_NOFILE, 1024, 2048, ""}};
    ASSERT_TRUE(set_names(plan));
    ASSERT_TRUE(apply_rlimits(plan));
    EXPECT_EQ(g_calls,
              (std::vector<std::string>{
                  "sethostname box", "setrlimit " + std::to_string(RLIMIT_NOFILE) + " 1024 2048"}));
}

TEST_F(ChildSteps, CwdIsCheckedAfterChdir) {
    ASSERT_TRUE(enter_cwd(plan));
    EXPECT_EQ(g_calls, (std::vector<std::string>{"chdir /work", "getcwd"}));
}

TEST_F(ChildSteps, CwdOutsideTheRootIsRefused) {
    // CVE-2024-21626: a cwd reached through a leaked host fd reads back as "(unreachable)/...".
    g_cwd = "(unreachable)/sys/fs/cgroup";
    EXPECT_FALSE(enter_cwd(plan));
    EXPECT_EQ(reported(), "verify cwd /work: Operation not permitted");
    g_fail_on = "getcwd";
    g_fail_errno = ENOENT;
    EXPECT_FALSE(enter_cwd(plan));
    EXPECT_EQ(reported(), "verify cwd /work: No such file or directory");
}

TEST(ChildReport, Formats) {
    EXPECT_FALSE(fail(Step::PivotRoot, "/var/lib/berth/x/merged", EINVAL));
    EXPECT_EQ(report_error(last_report()).message(),
              "pivot_root /var/lib/berth/x/merged: Invalid argument");
    EXPECT_FALSE(fail(Step::Exec, "foo", ENOENT));
    EXPECT_EQ(report_error(last_report()).message(), "exec \"foo\": No such file or directory");
    EXPECT_EQ(report_error(last_report()).errnum(), ENOENT);
}

}  // namespace
}  // namespace berth::engine::detail
