#include <gtest/gtest.h>

#include "compose_support.hpp"
#include "scheduler/container_args.hpp"
#include "scheduler/health.hpp"

using namespace berth;
using scheduler::HealthState;
using scheduler::HealthStatus;
using scheduler::ProbeResult;

namespace {

constexpr std::int64_t kSec = 1'000'000'000;

compose::Project project_with(const std::string& service_body) {
    return test_support::load_project(
        "services:\n  s:\n    image: busybox\n    network_mode: none\n" + service_body);
}

scheduler::ServiceHealth health_of(const std::string& body) {
    auto p = project_with(body);
    auto h = scheduler::service_health(*p.service("s"));
    if (!h) throw std::runtime_error(h.error().message());
    return *h;
}

ProbeResult probe(std::int64_t at, int code, std::string out = "") {
    return ProbeResult{at, at + kSec / 10, code, std::move(out)};
}

images::Healthcheck check(int retries, std::int64_t start_period = 0) {
    images::Healthcheck h;
    h.test = {"CMD", "true"};
    h.retries = retries;
    h.start_period_ns = start_period;
    return h;
}

TEST(ServiceHealth, ReadsEveryField) {
    auto h = health_of(
        "    healthcheck:\n      test: [\"CMD\", \"ping\", \"-c1\"]\n      interval: 200ms\n"
        "      timeout: 1s\n      retries: 7\n      start_period: 1m\n      start_interval: 2s\n");
    ASSERT_TRUE(h.check);
    EXPECT_FALSE(h.disable);
    EXPECT_EQ(h.check->test, (std::vector<std::string>{"CMD", "ping", "-c1"}));
    EXPECT_EQ(h.check->interval_ns, kSec / 5);
    EXPECT_EQ(h.check->timeout_ns, kSec);
    EXPECT_EQ(h.check->retries, 7);
    EXPECT_EQ(h.check->start_period_ns, 60 * kSec);
    EXPECT_EQ(h.check->start_interval_ns, 2 * kSec);
}

TEST(ServiceHealth, StringTestIsShellForm) {
    auto h = health_of("    healthcheck:\n      test: test -f /tmp/ready\n");
    ASSERT_TRUE(h.check);
    EXPECT_EQ(h.check->test, (std::vector<std::string>{"CMD-SHELL", "test -f /tmp/ready"}));
    EXPECT_EQ(h.check->interval_ns, 0);  // the image's, else the default
}

TEST(ServiceHealth, DisableAndAbsent) {
    EXPECT_TRUE(health_of("    healthcheck:\n      disable: true\n").disable);
    EXPECT_FALSE(health_of("    command: [\"true\"]\n").check);
}

TEST(ServiceHealth, StartIntervalNeedsAStartPeriod) {
    auto p = project_with(
        "    healthcheck:\n      test: [\"CMD\", \"true\"]\n      start_interval: 1s\n");
    auto h = scheduler::service_health(*p.service("s"));
    ASSERT_FALSE(h);
    EXPECT_EQ(h.error().message(),
              "healthcheck.start_interval requires healthcheck.start_period to be set");
}

TEST(ServiceHealth, MergesWithTheImageFieldByField) {
    auto p = project_with("    healthcheck:\n      interval: 1s\n");
    scheduler::ContainerContext cc;
    cc.project = "t";
    cc.service = "s";
    cc.container_name = "t-s-1";
    cc.image.cmd = {"sh"};
    cc.image.healthcheck = images::Healthcheck{{"CMD-SHELL", "true"}, 5 * kSec, 3 * kSec, 0, 0, 9};
    cc.rootfs_args = {"--rootfs", "/x"};
    cc.state_dir = "/x";
    auto a = scheduler::container_args(*p.service("s"), cc);
    ASSERT_TRUE(a) << a.error().message();
    ASSERT_TRUE(a->healthcheck);
    EXPECT_EQ(a->healthcheck->test, (std::vector<std::string>{"CMD-SHELL", "true"}));
    EXPECT_EQ(a->healthcheck->interval_ns, kSec);
    EXPECT_EQ(a->healthcheck->timeout_ns, 3 * kSec);
    EXPECT_EQ(a->healthcheck->retries, 9);

    auto none = project_with("    healthcheck:\n      test: [\"NONE\"]\n");
    auto b = scheduler::container_args(*none.service("s"), cc);
    ASSERT_TRUE(b) << b.error().message();
    EXPECT_FALSE(b->healthcheck);

    auto off = project_with("    healthcheck:\n      disable: true\n");
    auto c = scheduler::container_args(*off.service("s"), cc);
    ASSERT_TRUE(c) << c.error().message();
    EXPECT_FALSE(c->healthcheck);
}

TEST(ProbeCommand, Forms) {
    EXPECT_EQ(*scheduler::probe_command({"CMD", "a", "b"}), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(*scheduler::probe_command({"CMD-SHELL", "x && y"}),
              (std::vector<std::string>{"/bin/sh", "-c", "x && y"}));
    EXPECT_FALSE(scheduler::probe_command({"NONE"}));
    EXPECT_FALSE(scheduler::probe_command({"CMD"}));
    EXPECT_FALSE(scheduler::probe_command({"RUN", "x"}));
    EXPECT_FALSE(scheduler::probe_command({}));
}

TEST(Defaults, AreDockers) {
    auto h = scheduler::with_health_defaults({});
    EXPECT_EQ(h.interval_ns, 30 * kSec);
    EXPECT_EQ(h.timeout_ns, 30 * kSec);
    EXPECT_EQ(h.start_interval_ns, 5 * kSec);
    EXPECT_EQ(h.start_period_ns, 0);
    EXPECT_EQ(h.retries, 3);
}

TEST(RecordProbe, SuccessMakesHealthy) {
    HealthState s;
    scheduler::record_probe(s, check(3), 0, probe(kSec, 0, "ok"));
    EXPECT_EQ(s.status, HealthStatus::Healthy);
    EXPECT_EQ(s.failing_streak, 0);
    ASSERT_EQ(s.log.size(), 1u);
    EXPECT_EQ(s.log[0].output, "ok");
}

TEST(RecordProbe, RetriesFailuresInARowMakeUnhealthy) {
    HealthState s;
    scheduler::record_probe(s, check(3), 0, probe(kSec, 1));
    scheduler::record_probe(s, check(3), 0, probe(2 * kSec, 1));
    EXPECT_EQ(s.status, HealthStatus::Starting);
    EXPECT_EQ(s.failing_streak, 2);
    scheduler::record_probe(s, check(3), 0, probe(3 * kSec, 1));
    EXPECT_EQ(s.status, HealthStatus::Unhealthy);
    EXPECT_EQ(s.failing_streak, 3);
    scheduler::record_probe(s, check(3), 0, probe(4 * kSec, 0));
    EXPECT_EQ(s.status, HealthStatus::Healthy);
    EXPECT_EQ(s.failing_streak, 0);
}

TEST(RecordProbe, SuccessBetweenFailuresClearsTheStreak) {
    HealthState s;
    for (int code : {1, 1, 0, 1, 1}) scheduler::record_probe(s, check(3), 0, probe(kSec, code));
    EXPECT_EQ(s.status, HealthStatus::Healthy);
    EXPECT_EQ(s.failing_streak, 2);
}

TEST(RecordProbe, StartPeriodFailuresDoNotCount) {
    HealthState s;
    const auto h = check(1, 10 * kSec);
    scheduler::record_probe(s, h, 0, probe(5 * kSec, 1));
    EXPECT_EQ(s.status, HealthStatus::Starting);
    EXPECT_EQ(s.failing_streak, 0);
    scheduler::record_probe(s, h, 0, probe(11 * kSec, 1));
    EXPECT_EQ(s.status, HealthStatus::Unhealthy);
}

TEST(RecordProbe, SuccessInStartPeriodEndsTheGrace) {
    HealthState s;
    const auto h = check(1, 10 * kSec);
    scheduler::record_probe(s, h, 0, probe(kSec, 0));
    EXPECT_EQ(s.status, HealthStatus::Healthy);
    scheduler::record_probe(s, h, 0, probe(2 * kSec, 1));  // within the period, but counted
    EXPECT_EQ(s.status, HealthStatus::Unhealthy);
}

TEST(RecordProbe, TimeoutIsAFailure) {
    HealthState s;
    auto r = scheduler::timed_out_probe(kSec, 3 * kSec, 2 * kSec);
    EXPECT_EQ(r.exit_code, -1);
    EXPECT_EQ(r.output, "Health check exceeded timeout (2s)");
    scheduler::record_probe(s, check(1), 0, r);
    EXPECT_EQ(s.status, HealthStatus::Unhealthy);
}

TEST(RecordProbe, KeepsFiveResultsAndFourKiB) {
    HealthState s;
    for (int i = 0; i < 7; ++i) {
        scheduler::record_probe(s, check(3), 0, probe(i * kSec, 0, std::string(5000, 'x')));
    }
    ASSERT_EQ(s.log.size(), 5u);
    EXPECT_EQ(s.log.front().start_nano, 2 * kSec);
    EXPECT_EQ(s.log.back().output.size(), 4096u);
}

TEST(ResetHealth, KeepsTheLog) {
    HealthState s;
    scheduler::record_probe(s, check(1), 0, probe(kSec, 1));
    EXPECT_EQ(s.status, HealthStatus::Unhealthy);
    scheduler::reset_health(s);
    EXPECT_EQ(s.status, HealthStatus::Starting);
    EXPECT_EQ(s.failing_streak, 0);
    EXPECT_EQ(s.log.size(), 1u);
}

TEST(NextProbeDelay, StartIntervalOnlyWhileStartingInThePeriod) {
    images::Healthcheck h = check(3, 10 * kSec);
    h.interval_ns = 7 * kSec;
    h.start_interval_ns = kSec;
    HealthState s;
    EXPECT_EQ(scheduler::next_probe_delay(s, h, 0, 2 * kSec), kSec);
    EXPECT_EQ(scheduler::next_probe_delay(s, h, 0, 12 * kSec), 7 * kSec);
    s.status = HealthStatus::Healthy;
    EXPECT_EQ(scheduler::next_probe_delay(s, h, 0, 2 * kSec), 7 * kSec);
    EXPECT_EQ(scheduler::next_probe_delay(HealthState{}, check(3), 0, 0), 30 * kSec);
}

TEST(HealthStatusText, RoundTrips) {
    for (auto s : {HealthStatus::Starting, HealthStatus::Healthy, HealthStatus::Unhealthy}) {
        EXPECT_EQ(scheduler::parse_health_status(scheduler::to_string(s)), s);
    }
    EXPECT_FALSE(scheduler::parse_health_status("sick"));
}

}  // namespace
