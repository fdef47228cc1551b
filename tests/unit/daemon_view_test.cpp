// How containers and projects look to ps and ls: docker compose's words and fields.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../../daemon/src/container_view.hpp"

namespace berth::daemon {
namespace {

TEST(HumanDuration, FollowsDockersWording) {
    EXPECT_EQ(human_duration(0), "Less than a second");
    EXPECT_EQ(human_duration(1), "1 second");
    EXPECT_EQ(human_duration(42), "42 seconds");
    EXPECT_EQ(human_duration(60), "About a minute");
    EXPECT_EQ(human_duration(119), "About a minute");
    EXPECT_EQ(human_duration(120), "2 minutes");
    EXPECT_EQ(human_duration(59 * 60), "59 minutes");
    EXPECT_EQ(human_duration(3600), "About an hour");
    EXPECT_EQ(human_duration(5 * 3600), "5 hours");
    EXPECT_EQ(human_duration(3 * 86400), "3 days");
    EXPECT_EQ(human_duration(20 * 86400), "2 weeks");
    EXPECT_EQ(human_duration(90 * 86400), "3 months");
    EXPECT_EQ(human_duration(3 * 365 * 86400), "3 years");
}

TEST(Rfc3339, ParsesUtcTimes) {
    EXPECT_EQ(parse_rfc3339("1970-01-01T00:01:00Z"), 60);
    EXPECT_EQ(parse_rfc3339("2026-11-29T05:00:00.123456789Z"), 1795928400);
    EXPECT_EQ(parse_rfc3339("yesterday"), -1);
}

ContainerRecord record() {
    ContainerRecord c;
    c.id = std::string(64, 'a');
    c.name = "demo-web-1";
    c.project = "demo";
    c.service = "web";
    c.number = 1;
    c.image = "busybox";
    c.command = {"sleep", "1000"};
    c.labels = {{"berth.project", "demo"}};
    c.created = 1795928400;
    return c;
}

TEST(ContainerJson, RunningContainerHasComposeFields) {
    ContainerStatus st;
    st.state = ContainerRunState::Running;
    st.started_at = "2026-11-29T05:00:00Z";
    auto j = nlohmann::json::parse(container_json(record(), st, 1795928403));
    EXPECT_EQ(j["Name"], "demo-web-1");
    EXPECT_EQ(j["Service"], "web");
    EXPECT_EQ(j["Project"], "demo");
    EXPECT_EQ(j["State"], "running");
    EXPECT_EQ(j["Status"], "Up 3 seconds");
    EXPECT_EQ(j["Command"], "\"sleep 1000\"");
    EXPECT_EQ(j["ExitCode"], 0);
    EXPECT_EQ(j["RestartCount"], 0);
    EXPECT_EQ(
        nlohmann::json::parse(container_json(record(), st, 1795928403, {"", 3}))["RestartCount"],
        3);
    EXPECT_TRUE(j["Publishers"].is_array());
    EXPECT_EQ(j["Labels"]["berth.project"], "demo");
    EXPECT_EQ(j["CreatedAt"], "2026-11-29 05:00:00 +0000 UTC");
}

TEST(ContainerJson, HealthInStatusAsDockerPrintsIt) {
    ContainerStatus st{ContainerRunState::Running, 42, 0, false, "2026-11-29T05:00:00Z", ""};
    auto healthy = nlohmann::json::parse(container_json(record(), st, 1795928403, {"healthy", 0}));
    EXPECT_EQ(healthy["Status"], "Up 3 seconds (healthy)");
    EXPECT_EQ(healthy["Health"], "healthy");
    auto starting =
        nlohmann::json::parse(container_json(record(), st, 1795928403, {"starting", 0}));
    EXPECT_EQ(starting["Status"], "Up 3 seconds (health: starting)");
    auto sick = nlohmann::json::parse(container_json(record(), st, 1795928403, {"unhealthy", 0}));
    EXPECT_EQ(sick["Status"], "Up 3 seconds (unhealthy)");
}

TEST(ContainerJson, ExitedContainerShowsCodeAndAge) {
    ContainerStatus st;
    st.state = ContainerRunState::Exited;
    st.exit_code = 3;
    st.finished_at = "2026-11-29T05:00:00Z";
    auto j = nlohmann::json::parse(container_json(record(), st, 1795928400 + 150));
    EXPECT_EQ(j["State"], "exited");
    EXPECT_EQ(j["Status"], "Exited (3) 2 minutes ago");
    EXPECT_EQ(j["ExitCode"], 3);
}

TEST(ContainerJson, LongCommandIsCut) {
    auto c = record();
    c.command = {"sh", "-c", "while true; do echo hello; sleep 1; done"};
    ContainerStatus st;
    auto j = nlohmann::json::parse(container_json(c, st, c.created));
    EXPECT_EQ(j["Command"], "\"sh -c while true; d…\"");
    EXPECT_EQ(j["Status"], "Created");
}

// The row is written by hand, not through a json tree: quotes, backslashes and control
// characters from labels and commands must still come out as valid JSON, and every row of a
// reply must parse on its own.
TEST(ContainerJson, EscapesWhatUsersWrite) {
    auto c = record();
    c.command = {"echo", "\"hi\"\\\n\x01"};
    c.labels["note"] = "tab\there \"quoted\" back\\slash é";
    ContainerStatus st;
    auto j = nlohmann::json::parse(container_json(c, st, c.created));
    EXPECT_EQ(j["Labels"]["note"], "tab\there \"quoted\" back\\slash é");
    EXPECT_EQ(j["Command"], "\"echo \"hi\"\\\n\x01\"");
    EXPECT_EQ(j["Names"], nlohmann::json::array({"demo-web-1"}));
    EXPECT_EQ(j["OneOff"], false);
    EXPECT_EQ(j["Number"], 1);
    std::string two;
    append_container_json(two, c, st, c.created);
    two += ',';
    append_container_json(two, record(), st, c.created, {"healthy", 0});
    auto both = nlohmann::json::parse("[" + two + "]");
    ASSERT_EQ(both.size(), 2u);
    EXPECT_EQ(both[1]["Health"], "healthy");
    EXPECT_EQ(both[1]["Status"], "Created (healthy)");
}

// fields= keeps only what the view shows; every listed field is one the row has.
TEST(ContainerJson, OnlyTheAskedFields) {
    ContainerStatus st;
    st.state = ContainerRunState::Running;
    st.started_at = "2026-11-29T05:00:00Z";
    JsonObjectWriter::Keys only = {"Name", "Status", "Labels"};
    std::string out;
    append_container_json(out, record(), st, 1795928403, {"healthy", 0}, &only);
    auto j = nlohmann::json::parse(out);
    EXPECT_EQ(j.size(), 3u);
    EXPECT_EQ(j["Name"], "demo-web-1");
    EXPECT_EQ(j["Status"], "Up 3 seconds (healthy)");
    EXPECT_EQ(j["Labels"]["berth.project"], "demo");
    auto full = nlohmann::json::parse(container_json(record(), st, 1795928403));
    EXPECT_EQ(full.size(), container_fields().size());
    for (auto f : container_fields()) EXPECT_TRUE(full.contains(std::string(f))) << f;
}

TEST(ProjectStatus, CountsStatesInOrder) {
    ContainerStatus run, ex;
    run.state = ContainerRunState::Running;
    ex.state = ContainerRunState::Exited;
    EXPECT_EQ(project_status({run, ex, run}), "exited(1), running(2)");
    EXPECT_EQ(project_status({}), "");
}

}  // namespace
}  // namespace berth::daemon
