#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http_parse.hpp"

using namespace berth::cli;

namespace {

const std::string kStream =
    "1a\r\n{\"type\":\"progress\",\"a\":1}\n\r\n"
    "a;ext=1\r\n{\"type\":\"r\r\n"
    "5\r\nesult\r\n"
    "3\r\n\"}\n\r\n"
    "0\r\n\r\n";

std::vector<std::string> lines_of(const std::string& payload, std::size_t piece) {
    LineSplitter split;
    std::vector<std::string> out;
    auto add = [&](std::string_view l) { out.emplace_back(l); };
    for (std::size_t i = 0; i < payload.size(); i += piece) {
        split.feed(std::string_view(payload).substr(i, piece), add);
    }
    split.finish(add);
    return out;
}

}  // namespace

TEST(CliChunked, DecodesWholeAndByteByByte) {
    for (std::size_t piece : {kStream.size(), std::size_t{1}, std::size_t{3}, std::size_t{7}}) {
        ChunkedDecoder d;
        std::string out;
        for (std::size_t i = 0; i < kStream.size(); i += piece) {
            ASSERT_TRUE(d.feed(std::string_view(kStream).substr(i, piece), out)) << piece;
        }
        EXPECT_TRUE(d.done()) << piece;
        EXPECT_EQ(out, "{\"type\":\"progress\",\"a\":1}\n{\"type\":\"result\"}\n") << piece;
    }
}

TEST(CliChunked, NotDoneBeforeTheLastChunk) {
    ChunkedDecoder d;
    std::string out;
    ASSERT_TRUE(d.feed("5\r\nhello\r\n", out));
    EXPECT_FALSE(d.done());
    EXPECT_EQ(out, "hello");
    ASSERT_TRUE(d.feed("0\r\nX-Trailer: 1\r\n", out));
    EXPECT_FALSE(d.done());
    ASSERT_TRUE(d.feed("\r\n", out));
    EXPECT_TRUE(d.done());
}

TEST(CliChunked, RejectsBadFraming) {
    std::string out;
    ChunkedDecoder a;
    EXPECT_FALSE(a.feed("zz\r\nhello\r\n", out));
    ChunkedDecoder b;
    EXPECT_FALSE(b.feed("2\r\nhelloXX", out));  // payload longer than announced
    ChunkedDecoder c;
    EXPECT_FALSE(c.feed(std::string(5000, '1'), out));  // a size line that never ends
}

TEST(CliNdjson, SplitsAcrossPiecesAndSkipsBlankLines) {
    std::string payload = "{\"a\":1}\r\n\n{\"b\":2}\n{\"c\":3}";
    for (std::size_t piece : {std::size_t{1}, std::size_t{2}, std::size_t{5}, payload.size()}) {
        EXPECT_EQ(lines_of(payload, piece),
                  (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", "{\"c\":3}"}))
            << piece;
    }
}

TEST(CliNdjson, NothingForEmptyInput) {
    EXPECT_TRUE(lines_of("", 1).empty());
    EXPECT_TRUE(lines_of("\n\n", 1).empty());
}
