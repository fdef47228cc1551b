#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "engine/container_state.hpp"
#include "engine/flat_json.hpp"

using namespace berth::engine;

TEST(ContainerState, StateRoundTrip) {
    ContainerState s;
    s.id = "web-1";
    s.pid = 4242;
    s.pid_start = 18446744073709551615ULL;
    s.monitor_pid = 4240;
    s.monitor_start = 123456;
    s.started_at = "2026-11-29T02:45:00.123456789Z";
    s.caps = 0xa80425fbULL;
    s.cgroup = "berth/web-1";
    auto back = decode_state(encode_state(s));
    ASSERT_TRUE(back) << back.error().message();
    EXPECT_EQ(back->id, s.id);
    EXPECT_EQ(back->pid, s.pid);
    EXPECT_EQ(back->pid_start, s.pid_start);
    EXPECT_EQ(back->monitor_pid, s.monitor_pid);
    EXPECT_EQ(back->monitor_start, s.monitor_start);
    EXPECT_EQ(back->started_at, s.started_at);
    EXPECT_EQ(back->caps, s.caps);
    EXPECT_EQ(back->cgroup, s.cgroup);
}

TEST(ContainerState, ExitRoundTrip) {
    ExitRecord e{137, "2026-11-29T02:45:01.000000000Z", true, true};
    auto back = decode_exit(encode_exit(e));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->exit_code, 137);
    EXPECT_EQ(back->finished_at, e.finished_at);
    EXPECT_TRUE(back->oom_killed);
    EXPECT_TRUE(back->killed_after_timeout);
    EXPECT_FALSE(decode_exit("{\"exit_code\":"));
}

TEST(ContainerState, ConfigKeepsArgumentsExactly) {
    std::vector<std::string> args{"--env", "A=\"x\" \\ y", "--", "sh", "-c", "echo é\n", ""};
    auto back = decode_config(encode_config(args));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, args);
}

TEST(ContainerState, StartTimeFromStat) {
    // The command name may contain spaces and parentheses.
    std::string stat =
        "42 (a) b (c)) S 1 42 42 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 987654 "
        "1000 100 18446744073709551615";
    EXPECT_EQ(parse_stat_start_time(stat), 987654u);
    EXPECT_FALSE(parse_stat_start_time("42 (x) S 1"));
    EXPECT_TRUE(process_start_time(getpid()).has_value());
    EXPECT_TRUE(same_process(getpid(), *process_start_time(getpid())));
    EXPECT_FALSE(same_process(getpid(), *process_start_time(getpid()) + 1));
}

TEST(ContainerState, AtomicWriteReplaces) {
    char dir[] = "/tmp/berth-state-XXXXXX";
    ASSERT_TRUE(mkdtemp(dir));
    const std::string path = std::string(dir) + "/state.json";
    ASSERT_TRUE(write_file_atomic(path, "one"));
    ASSERT_TRUE(write_file_atomic(path, "two"));
    EXPECT_EQ(*read_text_file(path), "two");
    EXPECT_NE(access((path + ".tmp").c_str(), F_OK), 0);
    unlink(path.c_str());
    rmdir(dir);
}

TEST(FlatJson, KeepsOrderAndTypes) {
    FlatJson j;
    j.set("id", "x");
    j.set("n", static_cast<std::int64_t>(-3));
    j.set("b", true);
    j.set_double("d", 0.5);
    EXPECT_EQ(j.dump(), R"({"id":"x","n":-3,"b":true,"d":0.5})");
    auto back = FlatJson::parse(" { \"id\" : \"x\" , \"n\" : -3 , \"b\" : true } ");
    ASSERT_TRUE(back);
    EXPECT_EQ(back->num("n"), -3);
    EXPECT_TRUE(back->flag("b"));
    EXPECT_FALSE(FlatJson::parse("{\"a\":1} x"));
}
