// The progress view drawn in place on a terminal: the frame of progress_view.hpp redrawn on each
// change and ten times a second while something is in progress, and once more, final, at the end.
// Lines printed meanwhile (warnings, `run -d`'s container name) go above the frame.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "progress_view.hpp"

namespace berth::cli {

struct TermSize {
    int cols = 80;
    int rows = 24;
};

// The size of the terminal on `fd` (TIOCGWINSZ), else $COLUMNS and $LINES, else 80x24. Read for
// every frame, so a resized window is followed.
TermSize terminal_size(int fd);

// Seconds on a steady clock.
double steady_seconds();

class TtyProgress {
  public:
    TtyProgress(std::ostream& out, std::function<TermSize()> size, std::function<double()> clock,
                bool color);
    TtyProgress(const TtyProgress&) = delete;
    TtyProgress& operator=(const TtyProgress&) = delete;
    ~TtyProgress() { finish(); }

    void event(std::string_view id, std::string_view status, std::string_view text);
    // `line` on `where` (this view's stream or another one on the same terminal), above the frame.
    void above(std::ostream& where, std::string_view line);
    // Redraws ten times a second while a resource is in progress, until finish().
    void start_ticker();
    // Stops the ticker and draws the final frame; later calls do nothing.
    void finish();

  private:
    void draw_locked();
    void tick_loop();

    std::ostream& out_;
    std::function<TermSize()> size_;
    std::function<double()> clock_;
    FrameStyle style_;
    ProgressModel model_;
    std::size_t drawn_ = 0;  // rows of the frame above the cursor
    bool finished_ = false;
    std::mutex mu_;
    std::condition_variable wake_;
    std::thread ticker_;
};

}  // namespace berth::cli
