// `berth logs` lines as docker compose prints them: "web-1  | text", the prefix padded to the
// longest one and coloured per container in order of first appearance.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace berth::cli {

struct LogStyle {
    bool color = false;
    bool timestamps = false;  // -t
    bool prefix = true;       // --no-log-prefix turns it off
};

// docker compose's palette: cyan, yellow, green, magenta, blue, then their intense variants.
std::string palette_color(std::size_t index);

class LogRenderer {
  public:
    explicit LogRenderer(LogStyle style) : style_(style) {}
    // Known names first (from the project's containers) so the padding does not shift.
    void add(const std::string& name);
    // One log line object of the API, rendered without the trailing newline.
    std::string render(const nlohmann::json& line);

    static std::string name_of(const nlohmann::json& line);  // "web-1"

  private:
    LogStyle style_;
    std::map<std::string, std::size_t> colors_;
    std::size_t width_ = 0;
};

}  // namespace berth::cli
