// The signal table of Linux x86-64/arm64 (signal(7)); SIGRTMIN is 34 for the kernel, glibc reserves
// the first two real-time signals but containers run their own libc, so the kernel's numbers are
// used.
#include "engine/signals.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iterator>
#include <optional>

namespace berth::engine {
namespace {

struct SignalName {
    const char* name;
    int number;
};

constexpr SignalName kSignals[] = {
    {"HUP", 1},   {"INT", 2},   {"QUIT", 3},    {"ILL", 4},    {"TRAP", 5},    {"ABRT", 6},
    {"IOT", 6},   {"BUS", 7},   {"FPE", 8},     {"KILL", 9},   {"USR1", 10},   {"SEGV", 11},
    {"USR2", 12}, {"PIPE", 13}, {"ALRM", 14},   {"TERM", 15},  {"STKFLT", 16}, {"CHLD", 17},
    {"CONT", 18}, {"STOP", 19}, {"TSTP", 20},   {"TTIN", 21},  {"TTOU", 22},   {"URG", 23},
    {"XCPU", 24}, {"XFSZ", 25}, {"VTALRM", 26}, {"PROF", 27},  {"WINCH", 28},  {"IO", 29},
    {"POLL", 29}, {"PWR", 30},  {"SYS", 31},    {"RTMIN", 34}, {"RTMAX", 64},
};
constexpr int kMaxSignal = 64;

std::optional<int> parse_number(const std::string& s) {
    if (s.empty() || s.size() > 3 || !std::all_of(s.begin(), s.end(), ::isdigit))
        return std::nullopt;
    int n = std::atoi(s.c_str());
    if (n < 1 || n > kMaxSignal) return std::nullopt;
    return n;
}

// RTMIN+N and RTMAX-N, as kill(1) accepts them.
std::optional<int> parse_realtime(const std::string& up) {
    for (const char* base : {"RTMIN", "RTMAX"}) {
        const std::string b = base;
        if (up.rfind(b, 0) != 0 || up.size() <= b.size() + 1) continue;
        char op = up[b.size()];
        auto n = parse_number(up.substr(b.size() + 1));
        if (!n) return std::nullopt;
        int v = b == "RTMIN" && op == '+' ? 34 + *n : b == "RTMAX" && op == '-' ? 64 - *n : -1;
        if (v >= 34 && v <= 64) return v;
    }
    return std::nullopt;
}

}  // namespace

Result<int> parse_signal(const std::string& text) {
    if (auto n = parse_number(text)) return *n;
    std::string up;
    std::transform(text.begin(), text.end(), std::back_inserter(up),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (up.rfind("SIG", 0) == 0) up.erase(0, 3);
    for (const auto& s : kSignals) {
        if (up == s.name) return s.number;
    }
    if (auto rt = parse_realtime(up)) return *rt;
    return Error("unknown signal \"" + text +
                 "\": use a name such as TERM or KILL, or a number from 1 to 64");
}

std::string signal_name(int sig) {
    for (const auto& s : kSignals) {
        if (s.number == sig) return std::string("SIG") + s.name;
    }
    if (sig > 34 && sig < 64) return "SIGRTMIN+" + std::to_string(sig - 34);
    return "SIG" + std::to_string(sig);
}

}  // namespace berth::engine
