#include <gtest/gtest.h>

#include "up_exit.hpp"

namespace berth::cli {
namespace {

ContainerExit exit_of(const std::string& id, const std::string& service, int code,
                      bool restarting = false) {
    return ContainerExit{id, service, service + "-1", code, restarting};
}

TEST(UpExit, PlainUpEndsWhenEveryWatchedContainerExitedAndReturnsZero) {
    ExitTracker t({});
    t.watch("a");
    t.watch("b");
    EXPECT_FALSE(t.exited(exit_of("a", "x", 3)));
    EXPECT_FALSE(t.done());
    EXPECT_FALSE(t.exited(exit_of("b", "y", 0)));
    EXPECT_TRUE(t.done());
    EXPECT_FALSE(t.aborted());
    EXPECT_EQ(t.exit_code(), 0);
}

TEST(UpExit, AbortOnContainerExitTakesTheFirstExitsCode) {
    ExitTracker t({Cascade::Stop, ""});
    t.watch("a");
    t.watch("b");
    EXPECT_TRUE(t.exited(exit_of("a", "x", 0)));
    EXPECT_TRUE(t.aborted());
    EXPECT_FALSE(t.exited(exit_of("b", "y", 137))) << "only the first exit aborts";
    EXPECT_EQ(t.exit_code(), 0);
    EXPECT_TRUE(t.done());
}

TEST(UpExit, AbortOnContainerFailureIgnoresExitZero) {
    ExitTracker t({Cascade::Fail, ""});
    for (const char* id : {"a", "b", "c"}) t.watch(id);
    EXPECT_FALSE(t.exited(exit_of("a", "oneshot", 0)));
    EXPECT_FALSE(t.aborted());
    EXPECT_TRUE(t.exited(exit_of("b", "bad", 1)));
    EXPECT_EQ(t.exit_code(), 1);
    t.exited(exit_of("c", "long", 143));
    EXPECT_EQ(t.exit_code(), 1);
}

TEST(UpExit, ExitCodeFromTakesTheServicesCodeEvenWhenAnotherExitedFirst) {
    ExitTracker t({Cascade::Stop, "x"});
    t.watch("a");
    t.watch("b");
    EXPECT_TRUE(t.exited(exit_of("a", "other", 0)));
    EXPECT_EQ(t.exit_code(), 0);
    t.exited(exit_of("b", "x", 42));
    EXPECT_EQ(t.exit_code(), 42);
}

TEST(UpExit, ExitCodeFromKeepsTheFirstExitOfTheService) {
    ExitTracker t({Cascade::Stop, "x"});
    t.watch("a");
    t.exited(exit_of("a", "x", 42, true));
    t.exited(exit_of("a", "x", 0));
    EXPECT_EQ(t.exit_code(), 42);
}

TEST(UpExit, ARestartingContainerStaysWatched) {
    ExitTracker t({});
    t.watch("a");
    t.exited(exit_of("a", "x", 1, true));
    EXPECT_FALSE(t.done());
    EXPECT_TRUE(t.watching("a"));
    t.exited(exit_of("a", "x", 1));
    EXPECT_TRUE(t.done());
}

TEST(UpExit, LinesAsComposePrintsThem) {
    EXPECT_EQ(exit_line(exit_of("a", "app", 0)), "app-1 exited with code 0");
    EXPECT_EQ(exit_line(exit_of("a", "app", 2, true)), "app-1 exited with code 2 (restarting)");
    EXPECT_EQ(exit_source("demo", "app", "demo-app-3"), "app-3");
    EXPECT_EQ(exit_source("demo", "app", "custom"), "custom");
    EXPECT_EQ(exit_source("demo", "app", "demo-app-x"), "demo-app-x");
}

TEST(UpExit, ScaleValues) {
    std::set<std::string> known{"web", "db"};
    auto ok = parse_scale({"web=3", "db=0"}, known);
    ASSERT_TRUE(ok.ok()) << ok.error().message();
    EXPECT_EQ(*ok, (std::map<std::string, int>{{"web", 3}, {"db", 0}}));
    auto msg = [&](const std::string& v) {
        auto r = parse_scale({v}, known);
        return r.ok() ? std::string("ok") : r.error().message();
    };
    EXPECT_EQ(msg("web"), "invalid --scale option \"web\". Should be SERVICE=NUM");
    EXPECT_EQ(msg("web="), "invalid --scale option \"web=\". Should be SERVICE=NUM");
    EXPECT_EQ(msg("web=x"), "strconv.Atoi: parsing \"x\": invalid syntax");
    EXPECT_EQ(msg("web=1.5"), "strconv.Atoi: parsing \"1.5\": invalid syntax");
    EXPECT_EQ(msg("web=99999999999"), "strconv.Atoi: parsing \"99999999999\": value out of range");
    EXPECT_EQ(msg("web=-1"),
              "invalid --scale option \"web=-1\": the number of replicas cannot be negative");
    EXPECT_EQ(msg("nope=1"), "no such service: nope");
}

}  // namespace
}  // namespace berth::cli
