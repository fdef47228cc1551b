#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/container_log.hpp"

using namespace berth::engine;

TEST(ContainerLog, TimestampIsUtcWithNanoseconds) {
    timespec ts{1795920300, 123456789};  // 2026-11-29T02:45:00Z
    EXPECT_EQ(rfc3339_nano(ts), "2026-11-29T02:45:00.123456789Z");
    EXPECT_EQ(rfc3339_nano({1795920300, 5}), "2026-11-29T02:45:00.000000005Z");
}

TEST(ContainerLog, RecordEscapesJson) {
    std::string out;
    append_log_record(out, {1795920300, 0}, LogStream::Stderr,
                      std::string("a\"b\\c\td\x01\x7f\xc3\xa9\n"));
    EXPECT_EQ(out,
              "{\"time\":\"2026-11-29T02:45:00.000000000Z\",\"stream\":\"stderr\","
              "\"log\":\"a\\\"b\\\\c\\td\\u0001\\u007f\xc3\xa9\\n\"}\n");
}

TEST(ContainerLog, RecordRoundTrip) {
    std::string out;
    const std::string line = "quote \" back \\ nul-free \x1b[0m \xe2\x82\xac\n";
    append_log_record(out, {1, 2}, LogStream::Stdout, line);
    out.pop_back();
    auto rec = parse_log_record(out);
    ASSERT_TRUE(rec) << rec.error().message();
    EXPECT_EQ(rec->stream, "stdout");
    EXPECT_EQ(rec->log, line);
    EXPECT_EQ(rec->time, "1970-01-01T00:00:01.000000002Z");
}

TEST(ContainerLog, ParsesUnicodeEscapes) {
    auto rec = parse_log_record(R"({"time":"t","stream":"stdout","log":"\u00e9\ud83d\ude00\/"})");
    ASSERT_TRUE(rec);
    EXPECT_EQ(rec->log, "\xc3\xa9\xf0\x9f\x98\x80/");
    EXPECT_FALSE(parse_log_record(R"({"time":"t","stream":"stdout"})"));
    EXPECT_FALSE(parse_log_record(R"({"time":"t",)"));
}

TEST(ContainerLog, RotationNames) {
    EXPECT_EQ(rotated_log_name("/r/x/ctr.log", 0), "/r/x/ctr.log");
    EXPECT_EQ(rotated_log_name("/r/x/ctr.log", 2), "/r/x/ctr.log.2");
    using Renames = std::vector<std::pair<std::string, std::string>>;
    EXPECT_EQ(rotation_renames("l", 1), Renames{});
    EXPECT_EQ(rotation_renames("l", 2), (Renames{{"l", "l.1"}}));
    EXPECT_EQ(rotation_renames("l", 4), (Renames{{"l.2", "l.3"}, {"l.1", "l.2"}, {"l", "l.1"}}));
}

TEST(ContainerLog, SplitterKeepsNewlinesAndCutsLongLines) {
    LineSplitter s(8);
    std::vector<std::string> lines;
    auto emit = [&](std::string_view l) { lines.emplace_back(l); };
    s.feed("ab\ncd", emit);
    s.feed("e\n", emit);
    s.feed("0123456789", emit);
    s.finish(emit);
    EXPECT_EQ(lines, (std::vector<std::string>{"ab\n", "cde\n", "01234567", "89"}));
}
