#include <gtest/gtest.h>

#include "http_parse.hpp"

using namespace berth::cli;

TEST(CliHttpHead, WaitsForTheBlankLine) {
    std::size_t used = 0;
    auto r = parse_response_head("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n", used);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->has_value());
}

TEST(CliHttpHead, ParsesStatusAndHeaders) {
    std::string raw =
        "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\nContent-Length:  17 \r\n"
        "Berth-Stdio: send\r\n\r\n{\"message\":\"x\"}";
    std::size_t used = 0;
    auto r = parse_response_head(raw, used);
    ASSERT_TRUE(r && r->has_value());
    const ResponseHead& h = **r;
    EXPECT_EQ(h.status, 404);
    EXPECT_EQ(h.reason, "Not Found");
    EXPECT_EQ(h.header("Content-Type"), "application/json");
    EXPECT_EQ(h.header("berth-stdio"), "send");
    auto len = h.content_length();
    ASSERT_TRUE(len);
    EXPECT_EQ(**len, 17u);
    EXPECT_EQ(raw.substr(used), "{\"message\":\"x\"}");
    EXPECT_FALSE(h.chunked());
}

TEST(CliHttpHead, StatusWithoutReasonAndChunked) {
    std::size_t used = 0;
    auto r = parse_response_head("HTTP/1.1 200\r\nTransfer-Encoding: Chunked\r\n\r\n", used);
    ASSERT_TRUE(r && r->has_value());
    EXPECT_EQ((*r)->status, 200);
    EXPECT_TRUE((*r)->chunked());
}

TEST(CliHttpHead, RejectsGarbage) {
    std::size_t used = 0;
    EXPECT_FALSE(parse_response_head("SSH-2.0-OpenSSH\r\n\r\n", used));
    EXPECT_FALSE(parse_response_head("HTTP/1.1 2x0 OK\r\n\r\n", used));
    EXPECT_FALSE(parse_response_head("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", used));
    auto r = parse_response_head("HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n", used);
    ASSERT_TRUE(r && r->has_value());
    EXPECT_FALSE((*r)->content_length());
}

TEST(CliHttpHead, RefusesAnEndlessHead) {
    std::size_t used = 0;
    std::string huge = "HTTP/1.1 200 OK\r\nX: " + std::string(70000, 'a');
    EXPECT_FALSE(parse_response_head(huge, used));
}
