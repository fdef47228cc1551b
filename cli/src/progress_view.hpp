// The live progress view of `up`, `down`, `stop`... on a terminal, as docker compose v2 draws it:
// a header ("[+] Running 2/3") and one line per resource with a mark, its status and its elapsed
// time, redrawn in place. This part is pure: the model of resources and the rendering of a frame
// into strings for a given terminal size and time; tty_progress.hpp writes them to the terminal.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace berth::cli {

enum class ItemState { Working, Done, Error };

// Creating, Starting, Stopping... are still going on; Error failed; every other word is an end
// state (Started, Running, Removed, Healthy...), so an unknown word never spins forever.
ItemState state_of(std::string_view status);

struct ProgressItem {
    std::string id;      // "Container demo-web-1"
    std::string status;  // "Started"
    std::string text;    // the reason or the error, may be empty
    ItemState state = ItemState::Working;
    double start = 0;  // seconds on the caller's clock, when the resource first appeared
    double end = 0;    // when it last reached an end state
};

// The resources of one stream in the order they first appeared.
class ProgressModel {
  public:
    void apply(std::string_view id, std::string_view status, std::string_view text, double now);
    const std::vector<ProgressItem>& items() const { return items_; }
    std::size_t done() const;
    bool working() const;

  private:
    std::vector<ProgressItem> items_;
};

struct FrameStyle {
    int width = 80;   // terminal columns; no line reaches the last one
    int height = 24;  // terminal rows; a taller frame keeps its header and its last lines
    bool color = false;
    std::string title = "Running";
};

// The frame's lines, without line ends or cursor movements. Columns are counted in code points
// (the marks and spinner are one column wide); colour sequences are not counted.
std::vector<std::string> render_frame(const ProgressModel& model, double now,
                                      const FrameStyle& style);

// What redraws `lines` over a frame of `previous` lines drawn just above the cursor: cursor up,
// then each line from column 0, cleared to its end. The cursor ends below the new frame.
std::string redraw(const std::vector<std::string>& lines, std::size_t previous);

// Code points in `text` (continuation bytes of UTF-8 not counted), escape sequences excluded.
std::size_t columns(std::string_view text);
// `text` cut to at most `max` columns, ending in "…" when it was cut. Plain text only.
std::string fit(std::string_view text, std::size_t max);
// Control characters (a newline in an error message, an escape) become spaces: they would break
// the frame.
std::string printable(std::string_view text);

}  // namespace berth::cli
