// The client side of HTTP/1.1 framing, kept apart from sockets so it is tested byte by byte: the
// response head, chunked transfer coding, and newline-delimited JSON split into lines.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace berth::cli {

struct ResponseHead {
    int status = 0;
    std::string reason;
    std::vector<std::pair<std::string, std::string>> headers;  // names as sent, values trimmed

    // Case-insensitive, the first of that name.
    std::optional<std::string> header(std::string_view name) const;
    bool chunked() const;
    // Empty when absent; an Error when present but not a number.
    Result<std::optional<std::size_t>> content_length() const;
};

// Parses the head once `buf` holds the blank line ending it: nullopt while incomplete, with
// `consumed` the length of the head when complete. Heads past 64 KiB are an error: no reply of
// berthd's comes near that, so it is a peer that is not berthd.
Result<std::optional<ResponseHead>> parse_response_head(std::string_view buf,
                                                        std::size_t& consumed);

// Decodes `Transfer-Encoding: chunked` as bytes arrive in arbitrary pieces.
class ChunkedDecoder {
  public:
    // Appends the payload bytes found in `in` to `out`.
    Result<void> feed(std::string_view in, std::string& out);
    bool done() const { return done_; }

  private:
    std::string pending_;
    std::size_t remaining_ = 0;  // payload bytes left in the current chunk
    bool need_crlf_ = false;     // after a chunk's payload
    bool in_trailer_ = false;    // after the last (zero) chunk
    bool done_ = false;
};

// Splits a byte stream into lines (without the "\n" or a "\r" before it); empty lines are skipped,
// as NDJSON allows.
class LineSplitter {
  public:
    using LineFn = std::function<void(std::string_view)>;
    void feed(std::string_view data, const LineFn& on_line);
    // What is left without a newline at the end of the stream, handed over as a last line.
    void finish(const LineFn& on_line);

  private:
    std::string partial_;
};

}  // namespace berth::cli
