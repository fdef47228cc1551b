// Pure text handling for `top`.
#include "engine/top_format.hpp"

#include <cstdlib>

namespace berth::engine {

std::optional<pid_t> innermost_pid(std::string_view status) {
    auto pos = status.find("NSpid:");
    if (pos == std::string_view::npos) return std::nullopt;
    auto end = status.find('\n', pos);
    std::string line(status.substr(pos + 6, end == std::string_view::npos ? end : end - pos - 6));
    auto last = line.find_last_of(" \t");
    std::string field = last == std::string::npos ? line : line.substr(last + 1);
    char* stop = nullptr;
    long v = std::strtol(field.c_str(), &stop, 10);
    if (field.empty() || *stop != '\0' || v <= 0) return std::nullopt;
    return static_cast<pid_t>(v);
}

std::string command_text(std::string_view cmdline, std::string_view comm) {
    while (!cmdline.empty() && cmdline.back() == '\0') cmdline.remove_suffix(1);
    if (cmdline.empty()) {
        while (!comm.empty() && comm.back() == '\n') comm.remove_suffix(1);
        return "[" + std::string(comm) + "]";
    }
    std::string out(cmdline);
    for (char& c : out) {
        if (c == '\0' || c == '\n') c = ' ';
    }
    return out;
}

std::string format_top_line(pid_t pid, std::optional<pid_t> cpid, const std::string& cmd) {
    return std::to_string(pid) + " " + (cpid ? std::to_string(*cpid) : std::string("-")) + " " +
           cmd;
}

}  // namespace berth::engine
