#include <gtest/gtest.h>

#include "engine/top_format.hpp"

using namespace berth::engine;

TEST(TopFormat, InnermostPid) {
    EXPECT_EQ(innermost_pid("Name:\tsleep\nNSpid:\t4242\t7\t1\nNSpgid:\t4242\n"), 1);
    EXPECT_EQ(innermost_pid("NSpid:\t4242\n"), 4242);
    EXPECT_FALSE(innermost_pid("Name:\tx\n"));
}

TEST(TopFormat, CommandText) {
    EXPECT_EQ(command_text(std::string("sh\0-c\0echo hi\0", 15), "sh\n"), "sh -c echo hi");
    EXPECT_EQ(command_text("", "kworker/0:1\n"), "[kworker/0:1]");
}

TEST(TopFormat, Line) {
    EXPECT_STREQ(kTopHeader, "PID CPID CMD");
    EXPECT_EQ(format_top_line(4242, 1, "sleep 100"), "4242 1 sleep 100");
    EXPECT_EQ(format_top_line(4242, std::nullopt, "x"), "4242 - x");
}
