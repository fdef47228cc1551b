#include "compose/units.hpp"

#include <gtest/gtest.h>

#include "compose/shellwords.hpp"

using namespace berth::compose;

namespace {

constexpr Nanoseconds kSecond = 1000000000;

Nanoseconds dur(const char* text) {
    auto r = parse_duration(text);
    EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message());
    return r.ok() ? *r : -1;
}

std::string dur_error(const char* text) {
    auto r = parse_duration(text);
    return r.ok() ? "" : r.error().message();
}

std::int64_t bytes(const char* text) {
    auto r = parse_bytes(text);
    EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message());
    return r.ok() ? *r : -12345;
}

std::string bytes_error(const char* text) {
    auto r = parse_bytes(text);
    return r.ok() ? "" : r.error().message();
}

std::vector<std::string> words(const char* line) {
    auto r = split_shell_words(line);
    EXPECT_TRUE(r.ok()) << line;
    return r.ok() ? *r : std::vector<std::string>{"<error>"};
}

}  // namespace

TEST(Duration, ParsesGoSpellings) {
    EXPECT_EQ(dur("10s"), 10 * kSecond);
    EXPECT_EQ(dur("1m30s"), 90 * kSecond);
    EXPECT_EQ(dur("1.5h"), 5400 * kSecond);
    EXPECT_EQ(dur("300ms"), 300000000);
    EXPECT_EQ(dur("2us"), 2000);
    EXPECT_EQ(dur("2\xc2\xb5s"), 2000);
    EXPECT_EQ(dur("7ns"), 7);
    EXPECT_EQ(dur("0"), 0);
    EXPECT_EQ(dur("-1.5s"), -1500000000);
    EXPECT_EQ(dur("+5s"), 5 * kSecond);
    EXPECT_EQ(dur(".5s"), kSecond / 2);
    EXPECT_EQ(dur("1h2m3s4ms"), 3723004000000);
}

TEST(Duration, AcceptsDaysAndWeeks) {
    EXPECT_EQ(dur("1d"), 86400 * kSecond);
    EXPECT_EQ(dur("1w"), 7 * 86400 * kSecond);
}

TEST(Duration, RejectsGarbage) {
    EXPECT_EQ(dur_error(""), "time: invalid duration \"\"");
    EXPECT_EQ(dur_error("10"), "time: missing unit in duration \"10\"");
    EXPECT_EQ(dur_error("1x"), "time: unknown unit \"x\" in duration \"1x\"");
    EXPECT_EQ(dur_error("s"), "time: invalid duration \"s\"");
    EXPECT_EQ(dur_error("1.s.5"), "time: missing unit in duration \"1.s.5\"");
    EXPECT_EQ(dur_error(".s"), "time: invalid duration \".s\"");
    EXPECT_EQ(dur_error("-"), "time: invalid duration \"-\"");
    EXPECT_NE(dur_error("9999999999h"), "");
}

TEST(Duration, FormatsLikeGo) {
    EXPECT_EQ(format_duration(60 * kSecond), "1m0s");
    EXPECT_EQ(format_duration(120 * kSecond), "2m0s");
    EXPECT_EQ(format_duration(10 * kSecond), "10s");
    EXPECT_EQ(format_duration(90 * kSecond), "1m30s");
    EXPECT_EQ(format_duration(3600 * kSecond), "1h0m0s");
    EXPECT_EQ(format_duration(5400 * kSecond), "1h30m0s");
    EXPECT_EQ(format_duration(1500000000), "1.5s");
    EXPECT_EQ(format_duration(300000000), "300ms");
    EXPECT_EQ(format_duration(1500000), "1.5ms");
    EXPECT_EQ(format_duration(2000), "2\xc2\xb5s");
    EXPECT_EQ(format_duration(7), "7ns");
    EXPECT_EQ(format_duration(0), "0s");
    EXPECT_EQ(format_duration(-90 * kSecond), "-1m30s");
    EXPECT_EQ(format_duration(86400 * kSecond), "24h0m0s");
    EXPECT_EQ(format_duration(*parse_duration("1m30.25s")), "1m30.25s");
}

TEST(Bytes, ParsesDockerUnits) {
    EXPECT_EQ(bytes("50M"), 52428800);
    EXPECT_EQ(bytes("20M"), 20971520);
    EXPECT_EQ(bytes("1kb"), 1024);
    EXPECT_EQ(bytes("1KiB"), 1024);
    EXPECT_EQ(bytes("1.5g"), 1610612736);
    EXPECT_EQ(bytes("2 GB"), 2147483648);
    EXPECT_EQ(bytes("10000"), 10000);
    EXPECT_EQ(bytes("-1"), -1);
    EXPECT_EQ(bytes("512b"), 512);
    EXPECT_EQ(bytes("1t"), 1099511627776);
    EXPECT_EQ(bytes("0"), 0);
}

TEST(Bytes, RejectsGarbage) {
    EXPECT_EQ(bytes_error("abc"), "invalid size: 'abc'");
    EXPECT_EQ(bytes_error("1x"), "invalid suffix: 'x'");
    EXPECT_EQ(bytes_error("1kbb"), "invalid suffix: 'kbb'");
    EXPECT_EQ(bytes_error("1mx"), "invalid suffix: 'mx'");
    EXPECT_EQ(bytes_error("1bb"), "invalid suffix: 'bb'");
    EXPECT_NE(bytes_error(""), "");
    EXPECT_NE(bytes_error("1.2.3m"), "");
}

TEST(ShellWords, SplitsLikeCompose) {
    EXPECT_EQ(words("bundle exec thin -p 3000"),
              (std::vector<std::string>{"bundle", "exec", "thin", "-p", "3000"}));
    EXPECT_EQ(words("echo \"hello world\""), (std::vector<std::string>{"echo", "hello world"}));
    EXPECT_EQ(words("sh -c 'echo $HOME'"), (std::vector<std::string>{"sh", "-c", "echo $HOME"}));
    EXPECT_EQ(words("a\\ b c"), (std::vector<std::string>{"a b", "c"}));
    EXPECT_EQ(words("  spaced\t\targs  "), (std::vector<std::string>{"spaced", "args"}));
    EXPECT_EQ(words("empty '' \"\""), (std::vector<std::string>{"empty", "", ""}));
    EXPECT_EQ(words("'it''s'"), (std::vector<std::string>{"its"}));
    EXPECT_EQ(words("say \"a \\\"b\\\"\""), (std::vector<std::string>{"say", "a \"b\""}));
    EXPECT_EQ(words("x 'a\\b'"), (std::vector<std::string>{"x", "a\\b"}));
    EXPECT_EQ(words("echo $(date +%s) done"),
              (std::vector<std::string>{"echo", "$(date +%s)", "done"}));
    EXPECT_EQ(words(""), std::vector<std::string>{});
}

TEST(ShellWords, StopsAtShellOperators) {
    EXPECT_EQ(words("echo a && echo b"), (std::vector<std::string>{"echo", "a"}));
    EXPECT_EQ(words("echo a;echo b"), (std::vector<std::string>{"echo", "a"}));
    EXPECT_EQ(words("echo 'a;b'"), (std::vector<std::string>{"echo", "a;b"}));
    EXPECT_EQ(words("cmd 2>/dev/null"), (std::vector<std::string>{"cmd"}));
}

TEST(ShellWords, RejectsUnterminatedQuotes) {
    for (const char* bad : {"echo 'oops", "echo \"oops", "trailing \\", "bad (paren)"}) {
        auto r = split_shell_words(bad);
        ASSERT_FALSE(r.ok()) << bad;
        EXPECT_EQ(r.error().message(), "invalid command line string");
    }
}
