// How the progress streams of `up`, `down`, `stop`... appear on stderr, as docker compose prints
// them: one plain line per event, the objects themselves (json), or nothing (quiet).
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace berth::cli {

enum class ProgressMode { Plain, Json, Quiet };

// auto, tty and plain all print plain lines: berth has no animated view.
Result<ProgressMode> parse_progress_mode(const std::string& text);

// " Container demo-web-1  Started" (with "  text" when the event has one).
std::string progress_line(const nlohmann::json& event);
// "WARN[0003] text": seconds since the client started, as docker compose's logger prints them.
std::string warning_line(std::string_view text, long seconds);

struct StreamResult {
    bool seen = false;  // a result line arrived
    bool ok = false;
    int exit_code = 0;
    std::string message;

    // The exit status of the verb: the result's exit_code, 1 for a failure without one, and 1
    // when the stream ended without a result.
    int exit_status() const;
};

// Feeds each NDJSON line of a stream to the renderer and remembers the result line.
class ProgressPrinter {
  public:
    ProgressPrinter(ProgressMode mode, std::ostream& out, long (*elapsed)() = nullptr)
        : mode_(mode), out_(out), elapsed_(elapsed) {}
    void line(std::string_view text);
    const StreamResult& result() const { return result_; }

  private:
    ProgressMode mode_;
    std::ostream& out_;
    long (*elapsed_)();
    StreamResult result_;
};

}  // namespace berth::cli
