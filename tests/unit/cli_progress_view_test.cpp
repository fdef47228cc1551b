#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <sstream>
#include <thread>

#include "progress.hpp"
#include "progress_view.hpp"
#include "tty_progress.hpp"

using namespace berth::cli;
using nlohmann::json;

namespace {

ProgressModel three_containers() {
    ProgressModel m;
    m.apply("Network demo_default", "Created", "", 0.0);
    m.apply("Container demo-db-1", "Creating", "", 0.0);
    m.apply("Container demo-web-1", "Creating", "", 0.1);
    m.apply("Container demo-db-1", "Created", "", 0.2);
    m.apply("Container demo-db-1", "Starting", "", 0.2);
    m.apply("Container demo-db-1", "Started", "", 0.5);
    return m;
}

}  // namespace

TEST(CliProgressView, StatesOfTheWords) {
    EXPECT_EQ(state_of("Creating"), ItemState::Working);
    EXPECT_EQ(state_of("Recreate"), ItemState::Working);
    EXPECT_EQ(state_of("Waiting"), ItemState::Working);
    EXPECT_EQ(state_of("Started"), ItemState::Done);
    EXPECT_EQ(state_of("Running"), ItemState::Done);
    EXPECT_EQ(state_of("Healthy"), ItemState::Done);
    EXPECT_EQ(state_of("Exited"), ItemState::Done);
    EXPECT_EQ(state_of("Error"), ItemState::Error);
}

TEST(CliProgressView, ModelKeepsFirstAppearanceOrderAndTimes) {
    ProgressModel m = three_containers();
    ASSERT_EQ(m.items().size(), 3u);
    EXPECT_EQ(m.items()[0].id, "Network demo_default");
    EXPECT_EQ(m.items()[1].id, "Container demo-db-1");
    EXPECT_EQ(m.items()[1].status, "Started");
    EXPECT_DOUBLE_EQ(m.items()[1].start, 0.0);
    EXPECT_DOUBLE_EQ(m.items()[1].end, 0.5);
    EXPECT_EQ(m.done(), 2u);
    EXPECT_TRUE(m.working());
    m.apply("Container demo-web-1", "Started", "", 0.9);
    EXPECT_FALSE(m.working());
    EXPECT_EQ(m.done(), 3u);
}

TEST(CliProgressView, FrameLinesLikeDockerCompose) {
    ProgressModel m = three_containers();
    auto lines = render_frame(m, 1.0, {.width = 50, .height = 24, .color = false});
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines[0], "[+] Running 2/3");
    // The status column lines up; the timer ends one column short of the edge.
    EXPECT_EQ(lines[1], " ✔ Network demo_default  Created             0.0s");
    EXPECT_EQ(lines[2], " ✔ Container demo-db-1   Started             0.5s");
    // In progress: a spinner frame chosen by the time, and the clock still running.
    EXPECT_EQ(lines[3], " ⠋ Container demo-web-1  Creating            0.9s");
    for (const auto& l : lines) EXPECT_LE(columns(l), 49u) << l;
    auto later = render_frame(m, 1.25, {.width = 50, .height = 24, .color = false});
    EXPECT_EQ(later[3], " ⠹ Container demo-web-1  Creating            1.1s");
    EXPECT_EQ(later[2], lines[2]);
}

TEST(CliProgressView, HeaderCountsDoneOnlyAndErrorsAreMarked) {
    ProgressModel m;
    m.apply("Container x-a-1", "Started", "", 0);
    m.apply("Container x-b-1", "Error", "exec: \"nope\": not found", 0.4);
    auto lines = render_frame(m, 2, {.width = 80});
    EXPECT_EQ(lines[0], "[+] Running 1/2");
    EXPECT_EQ(lines[2].rfind(" ✘ Container x-b-1", 0), 0u);
    EXPECT_NE(lines[2].find("Error  exec: \"nope\": not found"), std::string::npos);
    EXPECT_NE(lines[2].find("0.0s"), std::string::npos);
}

TEST(CliProgressView, LongLinesAreCutToTheWidth) {
    ProgressModel m;
    m.apply("Container a-very-long-project-name-with-a-long-service-1", "Recreate",
            "config changed: command, environment, labels", 0);
    for (int width : {10, 20, 30, 40, 60}) {
        auto lines = render_frame(m, 0.5, {.width = width});
        for (const auto& l : lines) {
            EXPECT_LE(columns(l), static_cast<std::size_t>(width - 1)) << width << ": " << l;
        }
    }
    auto lines = render_frame(m, 0.5, {.width = 40});
    EXPECT_EQ(lines[1], " ⠴ Container a-very-lon…  Recreate 0.5s");
    EXPECT_EQ(render_frame(m, 0.5, {.width = 60})[1],
              " ⠴ Container a-very-long-project-name-with-…  Recreate 0.5s");
    // Too narrow for the timer: the name keeps the room.
    EXPECT_EQ(render_frame(m, 0.5, {.width = 12})[1], " ⠴ Contain…");
}

TEST(CliProgressView, TextIsCutBeforeTheStatus) {
    ProgressModel m;
    m.apply("Container s-web-1", "Error", "exec: \"nope\": executable file not found in $PATH", 0);
    EXPECT_EQ(render_frame(m, 0, {.width = 50})[1],
              " ✘ Container s-web-1  Error  exec: \"nope\": … 0.0s");
}

TEST(CliProgressView, ALongNameDoesNotPushOtherStatusesOff) {
    ProgressModel m;
    m.apply("Container p-a-service-with-a-name-longer-than-the-screen-1", "Started", "", 0);
    m.apply("Container p-b-1", "Started", "", 0);
    auto lines = render_frame(m, 0, {.width = 60});
    EXPECT_EQ(lines[2], " ✔ Container p-b-1                     Started         0.0s");
}

TEST(CliProgressView, ColourIsNotCountedAsWidth) {
    ProgressModel m;
    m.apply("Container c-web-1", "Started", "", 0);
    auto plain = render_frame(m, 1, {.width = 40, .color = false});
    auto color = render_frame(m, 1, {.width = 40, .color = true});
    EXPECT_NE(color[1], plain[1]);
    EXPECT_NE(color[1].find("\033[32m✔\033[0m"), std::string::npos);
    EXPECT_EQ(columns(color[1]), columns(plain[1]));
    EXPECT_EQ(color[0], "\033[34m[+] Running 1/1\033[0m");
}

TEST(CliProgressView, TallFramesKeepHeaderAndNewest) {
    ProgressModel m;
    for (int i = 1; i <= 10; ++i) m.apply("Container t-s-" + std::to_string(i), "Started", "", 0);
    auto lines = render_frame(m, 0, {.width = 60, .height = 5});
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines[0], "[+] Running 10/10");
    EXPECT_NE(lines[3].find("t-s-10"), std::string::npos);
}

TEST(CliProgressView, ControlCharactersNeverReachTheFrame) {
    ProgressModel m;
    m.apply("Container z-1", "Error", "line one\nline two\033[2J", 0);
    auto lines = render_frame(m, 0, {.width = 80});
    EXPECT_EQ(lines[1].find('\n'), std::string::npos);
    EXPECT_NE(lines[1].find("line one line two [2J"), std::string::npos);
}

TEST(CliProgressView, RedrawMovesUpAndClears) {
    EXPECT_EQ(redraw({"a", "b"}, 0), "\ra\033[K\n\rb\033[K\n");
    EXPECT_EQ(redraw({"a", "b"}, 2), "\033[2A\ra\033[K\n\rb\033[K\n");
    EXPECT_EQ(redraw({"a"}, 2), "\033[2A\ra\033[K\n\r\033[K\n");
    EXPECT_EQ(fit("abcdef", 4), "abc…");
    EXPECT_EQ(fit("abc", 3), "abc");
    EXPECT_EQ(columns("\033[34m✔ x\033[0m"), 3u);
}

TEST(CliProgressView, TtyViewDrawsOnChangeAndOnceAtTheEnd) {
    std::ostringstream out, other;
    double now = 0;
    TtyProgress view(
        out,
        [] {
            return TermSize{40, 24};
        },
        [&] { return now; }, false);
    view.event("Container v-a-1", "Creating", "");
    now = 0.3;
    view.event("Container v-a-1", "Started", "");
    view.above(other, "WARN[0000] careful");
    view.finish();
    view.finish();
    std::string s = out.str();
    EXPECT_EQ(other.str(), "WARN[0000] careful\n");
    EXPECT_NE(s.find("\033[2A"), std::string::npos);
    // The warning's room: up to the frame's top, cleared below.
    EXPECT_NE(s.find("\033[2A\r\033[J"), std::string::npos);
    std::string final_frame =
        "\r[+] Running 1/1\033[K\n\r ✔ Container v-a-1  Started        0.3s\033[K\n";
    EXPECT_TRUE(s.ends_with(final_frame + "\033[?25h")) << s;
}

namespace {

// An ostream whose text can be read while another thread writes to it.
class LockedBuf : public std::stringbuf {
  public:
    std::string text() {
        std::lock_guard lock(mu_);
        return str();
    }

  protected:
    int sync() override { return 0; }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        std::lock_guard lock(mu_);
        return std::stringbuf::xsputn(s, n);
    }
    int_type overflow(int_type c) override {
        std::lock_guard lock(mu_);
        return std::stringbuf::overflow(c);
    }

  private:
    // stringbuf's xsputn calls overflow, under the same lock.
    std::recursive_mutex mu_;
};

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

}  // namespace

TEST(CliProgressView, TickerRedrawsWhileInProgress) {
    LockedBuf buf;
    std::ostream out(&buf);
    TtyProgress view(
        out,
        [] {
            return TermSize{60, 24};
        },
        steady_seconds, false);
    view.event("Container k-a-1", "Starting", "");
    view.start_ticker();
    // Without further events, the frame is drawn again and again (the spinner and clock move).
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (count(buf.text(), "[+] Running 0/1") < 4 &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_GE(count(buf.text(), "[+] Running 0/1"), 4u);
    view.event("Container k-a-1", "Started", "");
    view.finish();
    std::string final_text = buf.text();
    EXPECT_EQ(count(final_text, "[+] Running 1/1"), 2u);  // on the change, and the final frame
    EXPECT_TRUE(final_text.ends_with("\033[K\n\033[?25h"));
}

TEST(CliProgressView, PrinterFeedsTheViewInTtyMode) {
    std::ostringstream out;
    double now = 0;
    TtyProgress view(
        out,
        [] {
            return TermSize{50, 24};
        },
        [&] { return now; }, false);
    ProgressPrinter printer(ProgressMode::Tty, out, nullptr, &view);
    printer.line(R"({"type":"progress","resource":"Container p-a-1","status":"Creating"})");
    now = 0.2;
    printer.line(R"({"type":"warning","text":"careful"})");
    printer.line(R"({"type":"progress","resource":"Container p-a-1","status":"Created"})");
    printer.line(R"({"type":"result","ok":true,"exit_code":0})");
    view.finish();
    std::string s = out.str();
    // The warning goes above the frame: up over the frame, cleared, then the frame again.
    EXPECT_NE(s.find("\033[2A\r\033[JWARN[0000] careful\n\033[?25l\r[+] Running 0/1"),
              std::string::npos)
        << s;
    EXPECT_TRUE(s.ends_with(" ✔ Container p-a-1  Created                  0.2s\033[K\n\033[?25h"))
        << s;
    EXPECT_TRUE(printer.result().seen);
    EXPECT_EQ(printer.result().exit_status(), 0);
}

TEST(CliProgressView, ModesFromProgressAndAnsi) {
    EXPECT_EQ(*choose_progress_mode("auto", "auto", true), ProgressMode::Tty);
    EXPECT_EQ(*choose_progress_mode("auto", "auto", false), ProgressMode::Plain);
    EXPECT_EQ(*choose_progress_mode("auto", "never", true), ProgressMode::Plain);
    EXPECT_EQ(*choose_progress_mode("auto", "always", false), ProgressMode::Tty);
    EXPECT_EQ(*choose_progress_mode("tty", "auto", false), ProgressMode::Tty);
    EXPECT_EQ(choose_progress_mode("tty", "never", true).error().message(),
              "can't use --progress tty while ANSI support is disabled");
    EXPECT_EQ(choose_progress_mode("plain", "always", true).error().message(),
              "can't use --progress plain while ANSI support is forced");
    EXPECT_EQ(*choose_progress_mode("json", "auto", true), ProgressMode::Json);
    EXPECT_EQ(*choose_progress_mode("none", "auto", true), ProgressMode::Quiet);
    EXPECT_FALSE(choose_progress_mode("fancy", "auto", true));
}

TEST(CliProgressView, JsonObjectsPerChange) {
    auto ev = json::parse(R"({"type":"progress","time":"2026-11-29T05:00:00Z",
        "resource":"Container demo-web-1","status":"Starting","text":""})");
    EXPECT_EQ(
        json_progress_line(ev),
        R"({"id":"Container demo-web-1","status":"Starting","state":"working","time":"2026-11-29T05:00:00Z"})");
    auto failed = json::parse(
        R"({"type":"progress","resource":"Container demo-web-1","status":"Error","text":"boom"})");
    EXPECT_EQ(json_progress_line(failed),
              R"({"id":"Container demo-web-1","status":"Error","text":"boom","state":"error"})");
    EXPECT_EQ(json_warning_line(json::parse(R"({"type":"warning","text":"careful"})")),
              R"({"level":"warning","msg":"careful"})");
    EXPECT_EQ(json_error_line("no such service: x"),
              R"({"error":true,"message":"no such service: x"})");
}
