#include <gtest/gtest.h>

#include "dependency_wait.hpp"
#include "health_json.hpp"
#include "inspect_view.hpp"

namespace berth::daemon {
namespace {

using scheduler::HealthStatus;

ContainerStatus running() {
    return ContainerStatus{ContainerRunState::Running, 42, 0, false, "2026-11-29T05:00:00Z", ""};
}

ContainerStatus exited(int code) {
    return ContainerStatus{ContainerRunState::Exited, 0, code, false, "2026-11-29T05:00:00Z",
                           "2026-11-29T05:00:01Z"};
}

HealthView view(HealthStatus s) {
    HealthView v;
    v.config.test = {"CMD", "true"};
    v.state.status = s;
    return v;
}

TEST(CheckHealthy, FollowsComposeRules) {
    EXPECT_EQ(check_healthy("x", running(), view(HealthStatus::Starting), false).verdict,
              Verdict::Pending);
    EXPECT_EQ(check_healthy("x", running(), view(HealthStatus::Healthy), false).verdict,
              Verdict::Met);
    auto sick = check_healthy("x", running(), view(HealthStatus::Unhealthy), false);
    EXPECT_EQ(sick.verdict, Verdict::Failed);
    EXPECT_EQ(sick.message, "container x is unhealthy");
    auto gone = check_healthy("x", exited(3), view(HealthStatus::Healthy), false);
    EXPECT_EQ(gone.verdict, Verdict::Failed);
    EXPECT_EQ(gone.message, "container x exited (3)");
    auto none = check_healthy("x", running(), std::nullopt, false);
    EXPECT_EQ(none.verdict, Verdict::Failed);
    EXPECT_EQ(none.message, "container x has no healthcheck configured");
}

TEST(CheckHealthy, RunningIsEnoughWithoutAHealthcheck) {
    EXPECT_EQ(check_healthy("x", running(), std::nullopt, true).verdict, Verdict::Met);
    ContainerStatus created;
    EXPECT_EQ(check_healthy("x", created, std::nullopt, true).verdict, Verdict::Pending);
    EXPECT_EQ(check_healthy("x", running(), view(HealthStatus::Starting), true).verdict,
              Verdict::Pending);
}

TEST(CheckCompleted, ExitZeroOnly) {
    EXPECT_EQ(check_completed("x", running()).verdict, Verdict::Pending);
    EXPECT_EQ(check_completed("x", exited(0)).verdict, Verdict::Met);
    auto bad = check_completed("x", exited(1));
    EXPECT_EQ(bad.verdict, Verdict::Failed);
    EXPECT_EQ(bad.message, "container x exited (1)");
}

TEST(HealthJson, RoundTrips) {
    images::Healthcheck h{{"CMD-SHELL", "true"}, 1, 2, 3, 4, 5};
    auto back = parse_healthcheck_json(healthcheck_json(h).dump());
    ASSERT_TRUE(back);
    EXPECT_EQ(back->test, h.test);
    EXPECT_EQ(back->interval_ns, 1);
    EXPECT_EQ(back->timeout_ns, 2);
    EXPECT_EQ(back->start_period_ns, 3);
    EXPECT_EQ(back->start_interval_ns, 4);
    EXPECT_EQ(back->retries, 5);
    EXPECT_FALSE(parse_healthcheck_json("not json"));

    scheduler::HealthState s;
    s.status = HealthStatus::Unhealthy;
    s.failing_streak = 4;
    s.log.push_back({1795928400123456789, 1795928400223456789, 1, "no"});
    auto j = health_state_json(s);
    EXPECT_EQ(j["Status"], "unhealthy");
    EXPECT_EQ(j["Log"][0]["Start"], "2026-11-29T05:00:00.123456789Z");
    auto st = parse_health_state_json(j.dump());
    ASSERT_TRUE(st);
    EXPECT_EQ(st->status, HealthStatus::Unhealthy);
    EXPECT_EQ(st->failing_streak, 4);
    ASSERT_EQ(st->log.size(), 1u);
    EXPECT_EQ(st->log[0].start_nano, 1795928400123456789);
    EXPECT_EQ(st->log[0].output, "no");
    EXPECT_FALSE(parse_health_state_json(""));
}

TEST(Inspect, StateHealthAndPsHealth) {
    ContainerRecord c;
    c.id = "abc";
    c.name = "p-db-1";
    c.command = {"sh", "-c", "x"};
    auto j = inspect_json(c, running(), view(HealthStatus::Healthy));
    EXPECT_EQ(j["Name"], "/p-db-1");
    EXPECT_EQ(j["Path"], "sh");
    EXPECT_EQ(j["Args"], nlohmann::json({"-c", "x"}));
    EXPECT_EQ(j["State"]["Health"]["Status"], "healthy");
    EXPECT_EQ(j["Config"]["Healthcheck"]["Test"], nlohmann::json({"CMD", "true"}));
    // Docker marks a stopped container's health unhealthy.
    EXPECT_EQ(inspect_json(c, exited(0), view(HealthStatus::Healthy))["State"]["Health"]["Status"],
              "unhealthy");
    EXPECT_FALSE(inspect_json(c, running(), std::nullopt)["State"].contains("Health"));
    EXPECT_EQ(ps_health(running(), view(HealthStatus::Starting)), "starting");
    EXPECT_EQ(ps_health(exited(0), view(HealthStatus::Healthy)), "");
    EXPECT_EQ(ps_health(running(), std::nullopt), "");
}

}  // namespace
}  // namespace berth::daemon
