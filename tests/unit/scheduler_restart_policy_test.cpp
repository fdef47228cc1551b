#include <gtest/gtest.h>

#include "compose_support.hpp"
#include "scheduler/restart_policy.hpp"

using namespace berth;
using namespace std::chrono_literals;
using scheduler::RestartMode;
using scheduler::RestartPolicy;

namespace {

Result<RestartPolicy> policy_of(const std::string& service_yaml) {
    auto project = test_support::load_project("services:\n  web:\n    image: x\n" + service_yaml);
    return scheduler::restart_policy_of("web", *project.service("web"));
}

scheduler::ExitFacts failed(int code = 1, double ran = 0.01) {
    return {code, false, ran};
}

}  // namespace

TEST(RestartPolicy, ParsesTheRestartKey) {
    EXPECT_EQ(*scheduler::parse_restart_policy("no"), (RestartPolicy{RestartMode::No, 0}));
    EXPECT_EQ(*scheduler::parse_restart_policy("always"), (RestartPolicy{RestartMode::Always, 0}));
    EXPECT_EQ(*scheduler::parse_restart_policy("unless-stopped"),
              (RestartPolicy{RestartMode::UnlessStopped, 0}));
    EXPECT_EQ(*scheduler::parse_restart_policy("on-failure"),
              (RestartPolicy{RestartMode::OnFailure, 0}));
    EXPECT_EQ(*scheduler::parse_restart_policy("on-failure:3"),
              (RestartPolicy{RestartMode::OnFailure, 3}));
    // compose maps deploy's words onto the same modes for `restart:` too.
    EXPECT_EQ(scheduler::parse_restart_policy("any")->mode, RestartMode::Always);
    EXPECT_EQ(scheduler::parse_restart_policy("none")->mode, RestartMode::No);
}

TEST(RestartPolicy, RejectsWhatTheEngineRejects) {
    auto unknown = scheduler::parse_restart_policy("sometimes");
    ASSERT_FALSE(unknown);
    EXPECT_NE(unknown.error().message().find("unknown policy 'sometimes'"), std::string::npos);
    auto count = scheduler::parse_restart_policy("always:3");
    ASSERT_FALSE(count);
    EXPECT_NE(count.error().message().find("only be used with 'on-failure'"), std::string::npos);
    EXPECT_FALSE(scheduler::parse_restart_policy("on-failure:-1"));
    EXPECT_FALSE(scheduler::parse_restart_policy("on-failure:x"));
    EXPECT_FALSE(scheduler::parse_restart_policy("on-failure:"));
}

TEST(RestartPolicy, FormatsWhatItParses) {
    for (const char* text : {"no", "always", "on-failure", "on-failure:5", "unless-stopped"}) {
        EXPECT_EQ(scheduler::format_restart_policy(*scheduler::parse_restart_policy(text)), text);
    }
}

TEST(RestartPolicy, ServiceWithoutAPolicyIsNo) {
    auto p = policy_of("");
    ASSERT_TRUE(p) << p.error().message();
    EXPECT_EQ(p->mode, RestartMode::No);
}

TEST(RestartPolicy, DeployRestartPolicyWinsOverRestart) {
    auto p = policy_of(
        "    restart: always\n    deploy:\n      restart_policy:\n        condition: on-failure\n"
        "        max_attempts: 2\n        delay: 5s\n        window: 1m\n");
    ASSERT_TRUE(p) << p.error().message();
    EXPECT_EQ(*p, (RestartPolicy{RestartMode::OnFailure, 2}));
    auto any = policy_of("    deploy:\n      restart_policy:\n        condition: any\n");
    ASSERT_TRUE(any) << any.error().message();
    EXPECT_EQ(any->mode, RestartMode::Always);
    auto none = policy_of(
        "    restart: always\n    deploy:\n      restart_policy:\n        condition: none\n");
    ASSERT_TRUE(none) << none.error().message();
    EXPECT_EQ(none->mode, RestartMode::No);
}

TEST(RestartPolicy, ServiceErrorsNameServiceAndKey) {
    auto bad = policy_of("    restart: sometimes\n");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message().find("service \"web\": restart"), std::string::npos)
        << bad.error().message();
    auto count = policy_of(
        "    deploy:\n      restart_policy:\n        condition: any\n        max_attempts: 3\n");
    ASSERT_FALSE(count);
    EXPECT_NE(count.error().message().find("deploy.restart_policy"), std::string::npos);
}

TEST(RestartDecision, BackoffDoublesFrom100msAndIsCappedAtAMinute) {
    RestartPolicy always{RestartMode::Always, 0};
    scheduler::RestartTracker t;
    std::vector<long> delays;
    for (int i = 0; i < 12; ++i) {
        auto d = scheduler::decide_restart(always, t, failed());
        ASSERT_TRUE(d.restart);
        delays.push_back(static_cast<long>(d.delay.count()));
    }
    EXPECT_EQ(delays, (std::vector<long>{100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200,
                                         60000, 60000}));
    EXPECT_EQ(t.restart_count, 12);
}

TEST(RestartDecision, ARunOfTenSecondsResetsTheBackoff) {
    RestartPolicy always{RestartMode::Always, 0};
    scheduler::RestartTracker t;
    (void)scheduler::decide_restart(always, t, failed());
    (void)scheduler::decide_restart(always, t, failed());
    EXPECT_EQ(scheduler::decide_restart(always, t, failed(1, 9.9)).delay, 400ms);
    EXPECT_EQ(scheduler::decide_restart(always, t, failed(1, 10.0)).delay, 100ms);
}

TEST(RestartDecision, OnFailureRestartsExactlyMaxTimesAndOnlyOnFailure) {
    RestartPolicy three{RestartMode::OnFailure, 3};
    scheduler::RestartTracker t;
    int restarts = 0;
    for (int i = 0; i < 10; ++i) restarts += scheduler::decide_restart(three, t, failed()).restart;
    EXPECT_EQ(restarts, 3);
    EXPECT_EQ(t.restart_count, 3);
    scheduler::RestartTracker fresh;
    EXPECT_FALSE(scheduler::decide_restart(three, fresh, failed(0)).restart);
    EXPECT_EQ(fresh.restart_count, 0);
    // No limit with 0; a kept count from before a daemon restart still counts.
    RestartPolicy unlimited{RestartMode::OnFailure, 0};
    scheduler::RestartTracker many{1000, 0ms};
    EXPECT_TRUE(scheduler::decide_restart(unlimited, many, failed(137)).restart);
    scheduler::RestartTracker kept{3, 0ms};
    EXPECT_FALSE(scheduler::decide_restart(three, kept, failed()).restart);
}

TEST(RestartDecision, ManualStopsMatterOnlyToUnlessStopped) {
    scheduler::ExitFacts stopped{143, true, 1};
    scheduler::RestartTracker t1, t2, t3, t4;
    EXPECT_TRUE(scheduler::decide_restart({RestartMode::Always, 0}, t1, stopped).restart);
    EXPECT_FALSE(scheduler::decide_restart({RestartMode::UnlessStopped, 0}, t2, stopped).restart);
    EXPECT_TRUE(scheduler::decide_restart({RestartMode::OnFailure, 0}, t3, stopped).restart);
    EXPECT_FALSE(scheduler::decide_restart({RestartMode::No, 0}, t4, failed()).restart);
    EXPECT_TRUE(scheduler::decide_restart({RestartMode::UnlessStopped, 0}, t2, failed(0)).restart);
}
