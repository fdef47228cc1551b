#include "tty_progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>

namespace berth::cli {
namespace {

constexpr const char* kHideCursor = "\033[?25l";
constexpr const char* kShowCursor = "\033[?25h";

int env_int(const char* name, int fallback) {
    const char* v = std::getenv(name);
    if (v == nullptr) return fallback;
    char* end = nullptr;
    long n = std::strtol(v, &end, 10);
    return end != v && *end == '\0' && n > 0 && n < 100000 ? static_cast<int>(n) : fallback;
}

}  // namespace

TermSize terminal_size(int fd) {
    winsize ws{};
    TermSize size{env_int("COLUMNS", 80), env_int("LINES", 24)};
    // A pty that was never sized (some CI runners) reports 0x0: keep the fallback then.
    if (::ioctl(fd, TIOCGWINSZ, &ws) == 0) {
        if (ws.ws_col > 0) size.cols = ws.ws_col;
        if (ws.ws_row > 0) size.rows = ws.ws_row;
    }
    return size;
}

double steady_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

TtyProgress::TtyProgress(std::ostream& out, std::function<TermSize()> size,
                         std::function<double()> clock, bool color)
    : out_(out), size_(std::move(size)), clock_(std::move(clock)) {
    style_.color = color;
}

void TtyProgress::event(std::string_view id, std::string_view status, std::string_view text) {
    std::lock_guard lock(mu_);
    model_.apply(id, status, text, clock_());
    if (!finished_) draw_locked();
}

void TtyProgress::above(std::ostream& where, std::string_view line) {
    std::lock_guard lock(mu_);
    if (finished_ || drawn_ == 0) {
        where << line << "\n";
        where.flush();
        return;
    }
    // Up to the frame's first row and clear the screen below, so a line that wraps never lands on
    // half of an old frame line; the frame is drawn again under it.
    out_ << "\033[" << drawn_ << "A\r\033[J";
    out_.flush();
    where << line << "\n";
    where.flush();
    drawn_ = 0;
    draw_locked();
}

void TtyProgress::draw_locked() {
    if (model_.items().empty()) return;
    TermSize size = size_();
    style_.width = size.cols;
    style_.height = size.rows;
    auto lines = render_frame(model_, clock_(), style_);
    out_ << kHideCursor << redraw(lines, drawn_) << kShowCursor;
    out_.flush();
    drawn_ = std::max(drawn_, lines.size());
}

void TtyProgress::start_ticker() {
    std::lock_guard lock(mu_);
    if (ticker_.joinable() || finished_) return;
    ticker_ = std::thread([this] { tick_loop(); });
}

void TtyProgress::tick_loop() {
    std::unique_lock lock(mu_);
    while (!finished_) {
        wake_.wait_for(lock, std::chrono::milliseconds(100));
        if (!finished_ && model_.working()) draw_locked();
    }
}

void TtyProgress::finish() {
    {
        std::lock_guard lock(mu_);
        if (finished_) return;
        finished_ = true;
        draw_locked();
    }
    wake_.notify_all();
    if (ticker_.joinable()) ticker_.join();
}

}  // namespace berth::cli
