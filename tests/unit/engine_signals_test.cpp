#include <gtest/gtest.h>
#include <signal.h>

#include "engine/signals.hpp"

using berth::engine::parse_signal;
using berth::engine::signal_name;

TEST(Signals, NamesWithAndWithoutPrefixAnyCase) {
    EXPECT_EQ(*parse_signal("TERM"), SIGTERM);
    EXPECT_EQ(*parse_signal("SIGTERM"), SIGTERM);
    EXPECT_EQ(*parse_signal("sigkill"), SIGKILL);
    EXPECT_EQ(*parse_signal("hup"), SIGHUP);
    EXPECT_EQ(*parse_signal("USR1"), SIGUSR1);
}

TEST(Signals, Numbers) {
    EXPECT_EQ(*parse_signal("9"), 9);
    EXPECT_EQ(*parse_signal("64"), 64);
    EXPECT_FALSE(parse_signal("0"));
    EXPECT_FALSE(parse_signal("65"));
    EXPECT_FALSE(parse_signal("-1"));
}

TEST(Signals, RealTime) {
    EXPECT_EQ(*parse_signal("RTMIN"), 34);
    EXPECT_EQ(*parse_signal("RTMIN+3"), 37);
    EXPECT_EQ(*parse_signal("SIGRTMAX-1"), 63);
    EXPECT_FALSE(parse_signal("RTMIN+40"));
}

TEST(Signals, UnknownNameSaysWhatIsAccepted) {
    auto r = parse_signal("FOO");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message(),
              "unknown signal \"FOO\": use a name such as TERM or KILL, or a number from 1 to 64");
    EXPECT_FALSE(parse_signal(""));
    EXPECT_FALSE(parse_signal("SIG"));
}

TEST(Signals, NameOfNumber) {
    EXPECT_EQ(signal_name(15), "SIGTERM");
    EXPECT_EQ(signal_name(9), "SIGKILL");
    EXPECT_EQ(signal_name(36), "SIGRTMIN+2");
}
