// How the progress streams of `up`, `down`, `stop`... appear on stderr, as docker compose prints
// them: a view redrawn in place on a terminal (tty), one plain line per event, one JSON object
// per event (json), or nothing (quiet). docs/cli.md describes each.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace berth::cli {

enum class ProgressMode { Tty, Plain, Json, Quiet };

// For the verbs whose own output shares the terminal (attached `run`, `exec`): auto, tty and
// plain print plain lines there.
Result<ProgressMode> parse_progress_mode(const std::string& text);

// docker compose's choice from --progress and --ansi: auto is the live view when stderr is a
// terminal and ANSI is allowed; tty with --ansi never and plain with --ansi always are errors.
Result<ProgressMode> choose_progress_mode(const std::string& progress, const std::string& ansi,
                                          bool stderr_is_tty);

// {"id":"Container demo-web-1","status":"Started","state":"done","time":"..."} (and "text" when
// the event has one): one object per change in --progress json.
std::string json_progress_line(const nlohmann::json& event);
// {"level":"warning","msg":"...","time":"..."}, as docker compose's JSON logger writes warnings.
std::string json_warning_line(const nlohmann::json& event);
// {"error":true,"message":"..."}: a failed verb in --progress json.
std::string json_error_line(const std::string& message);

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

class TtyProgress;

// Feeds each NDJSON line of a stream to the renderer and remembers the result line. In tty mode
// the events go to `tty`, which must then be given.
class ProgressPrinter {
  public:
    ProgressPrinter(ProgressMode mode, std::ostream& out, long (*elapsed)() = nullptr,
                    TtyProgress* tty = nullptr)
        : mode_(mode), out_(out), elapsed_(elapsed), tty_(tty) {}
    void line(std::string_view text);
    const StreamResult& result() const { return result_; }

  private:
    ProgressMode mode_;
    std::ostream& out_;
    long (*elapsed_)();
    TtyProgress* tty_;
    StreamResult result_;

    void print(std::ostream& where, const std::string& text);
};

}  // namespace berth::cli
