#include "log_render.hpp"

#include <algorithm>

namespace berth::cli {

std::string palette_color(std::size_t index) {
    static const char* const codes[] = {"36",   "33",   "32",   "35",   "34",
                                        "36;1", "33;1", "32;1", "35;1", "34;1"};
    return codes[index % 10];
}

void LogRenderer::add(const std::string& name) {
    if (colors_.emplace(name, colors_.size()).second) width_ = std::max(width_, name.size());
}

std::string LogRenderer::name_of(const nlohmann::json& line) {
    std::string service = line.value("service", "");
    if (service.empty()) return line.value("container", "");
    return service + "-" + std::to_string(line.value("number", 1));
}

std::string LogRenderer::render(const nlohmann::json& line) {
    std::string text = line.value("line", "");
    if (style_.timestamps) text = line.value("time", "") + " " + text;
    if (!style_.prefix) return text;
    std::string name = name_of(line);
    add(name);
    std::string prefix = name + std::string(width_ - name.size(), ' ') + "  |";
    if (style_.color) {
        prefix = "\033[" + palette_color(colors_[name]) + "m" + prefix + "\033[0m";
    }
    return prefix + " " + text;
}

}  // namespace berth::cli
