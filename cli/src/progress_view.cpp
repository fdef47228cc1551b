#include "progress_view.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>

namespace berth::cli {
namespace {

constexpr std::array<std::string_view, 10> kSpinner = {"⠋", "⠙", "⠹", "⠸", "⠼",
                                                       "⠴", "⠦", "⠧", "⠇", "⠏"};
constexpr std::string_view kDoneMark = "✔";
constexpr std::string_view kErrorMark = "✘";

bool is_continuation(unsigned char c) {
    return (c & 0xC0) == 0x80;
}

std::string paint(std::string_view text, const char* sgr, bool color) {
    if (!color) return std::string(text);
    return "\033[" + std::string(sgr) + "m" + std::string(text) + "\033[0m";
}

std::string mark_of(const ProgressItem& item, double now, bool color) {
    switch (item.state) {
        case ItemState::Done:
            return paint(kDoneMark, "32", color);
        case ItemState::Error:
            return paint(kErrorMark, "31;1", color);
        case ItemState::Working:
            break;
    }
    // Ten frames a second, as the view is redrawn.
    auto tick = static_cast<long>(std::max(now, 0.0) * 10);
    return std::string(kSpinner[static_cast<std::size_t>(tick % 10)]);
}

std::string timer_of(const ProgressItem& item, double now) {
    double until = item.state == ItemState::Working ? now : item.end;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1fs", std::max(until - item.start, 0.0));
    return buf;
}

std::size_t id_width(const std::vector<ProgressItem>& items) {
    std::size_t w = 0;
    for (const auto& i : items) w = std::max(w, columns(i.id));
    return w;
}

// The name, padded so statuses line up, and cut first when the room is short, so the status
// stays in sight; the text (a reason, an error) is what gets cut after that.
std::string item_body(const ProgressItem& item, std::size_t pad_to, std::size_t room) {
    std::string status = "  " + item.status;
    std::size_t id_room = room > columns(status) + 8 ? room - columns(status) : room;
    std::string id = fit(item.id, id_room);
    std::size_t id_cols = columns(id);
    std::size_t pad = std::min(pad_to, id_room);
    std::string body = id + std::string(pad > id_cols ? pad - id_cols : 0, ' ') + status;
    std::size_t used = columns(body);
    if (!item.text.empty() && used + 3 < room) body += fit("  " + item.text, room - used);
    return fit(body, room);
}

// " ✔ Container demo-web-1  Started        0.3s": the status column lines up across resources
// and the timer is right-aligned one column short of the edge.
std::string item_line(const ProgressItem& item, std::size_t pad_to, double now, std::size_t avail,
                      bool color) {
    constexpr std::size_t kPrefix = 3;  // " ✔ "
    if (avail <= kPrefix) return "";
    std::string mark = mark_of(item, now, color);
    std::string timer = timer_of(item, now);
    // The timer goes first when the line is too narrow for it and a few columns of the name.
    if (avail < kPrefix + 8 + 1 + timer.size()) {
        return " " + mark + " " + item_body(item, pad_to, avail - kPrefix);
    }
    std::size_t room = avail - kPrefix - 1 - timer.size();
    std::string left = item_body(item, pad_to, room);
    left += std::string(room - columns(left), ' ');
    return " " + mark + " " + left + " " + paint(timer, "34", color);
}

}  // namespace

ItemState state_of(std::string_view status) {
    static constexpr std::array<std::string_view, 12> kWorking = {
        "Creating",  "Recreate", "Starting", "Stopping", "Killing",    "Pausing",
        "Unpausing", "Removing", "Waiting",  "Pulling",  "Restarting", "Building"};
    if (status == "Error") return ItemState::Error;
    for (auto w : kWorking) {
        if (status == w) return ItemState::Working;
    }
    return ItemState::Done;
}

void ProgressModel::apply(std::string_view id, std::string_view status, std::string_view text,
                          double now) {
    auto it = std::find_if(items_.begin(), items_.end(),
                           [&](const ProgressItem& i) { return i.id == id; });
    if (it == items_.end()) {
        ProgressItem item;
        item.id = printable(id);
        item.start = now;
        items_.push_back(std::move(item));
        it = items_.end() - 1;
    }
    ItemState next = state_of(status);
    // The clock stops at each new end state, and runs again while work resumes (Created, then
    // Starting, then Started shows the time to Started).
    if (next != ItemState::Working && it->status != status) it->end = now;
    it->state = next;
    it->status = printable(status);
    it->text = printable(text);
}

std::size_t ProgressModel::done() const {
    return static_cast<std::size_t>(
        std::count_if(items_.begin(), items_.end(),
                      [](const ProgressItem& i) { return i.state == ItemState::Done; }));
}

bool ProgressModel::working() const {
    return std::any_of(items_.begin(), items_.end(),
                       [](const ProgressItem& i) { return i.state == ItemState::Working; });
}

std::vector<std::string> render_frame(const ProgressModel& model, double now,
                                      const FrameStyle& style) {
    std::size_t avail = style.width > 1 ? static_cast<std::size_t>(style.width - 1) : 0;
    const auto& items = model.items();
    std::string header = "[+] " + style.title + " " + std::to_string(model.done()) + "/" +
                         std::to_string(items.size());
    bool finished = !items.empty() && !model.working();
    std::vector<std::string> lines{paint(fit(header, avail), "34", style.color && finished)};
    // The cursor needs a row below the frame; a frame taller than the screen keeps its header and
    // its newest resources, since cursor-up stops at the top row.
    std::size_t rows = style.height > 2 ? static_cast<std::size_t>(style.height - 2) : 0;
    std::size_t first = items.size() > rows ? items.size() - rows : 0;
    // One long name must not push every status off a narrow screen: the status column stays
    // within reach of the timer.
    std::size_t pad_to = std::min(id_width(items), avail > 25 ? avail - 25 : 0);
    for (std::size_t i = first; i < items.size(); ++i) {
        lines.push_back(item_line(items[i], pad_to, now, avail, style.color));
    }
    return lines;
}

std::string redraw(const std::vector<std::string>& lines, std::size_t previous) {
    std::string out;
    if (previous > 0) out += "\033[" + std::to_string(previous) + "A";
    for (const auto& l : lines) out += "\r" + l + "\033[K\n";
    // A shorter frame (the terminal got shorter) blanks the rows the old one used.
    for (std::size_t i = lines.size(); i < previous; ++i) out += "\r\033[K\n";
    return out;
}

std::size_t columns(std::string_view text) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c == 0x1B) {
            // CSI: ESC [ parameters, then a final byte in 0x40..0x7E.
            if (i + 1 < text.size() && text[i + 1] == '[') {
                i += 2;
                while (i < text.size() && !(text[i] >= 0x40 && text[i] <= 0x7E)) ++i;
            }
            continue;
        }
        if (!is_continuation(c)) ++n;
    }
    return n;
}

std::string fit(std::string_view text, std::size_t max) {
    if (columns(text) <= max) return std::string(text);
    if (max == 0) return "";
    std::string out;
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (!is_continuation(c)) {
            if (n == max - 1) break;
            ++n;
        }
        out += text[i];
    }
    return out + "…";
}

std::string printable(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7F) c = ' ';
    }
    return out;
}

}  // namespace berth::cli
