#include "progress.hpp"

#include <cstdio>
#include <iostream>

namespace berth::cli {
namespace {

std::string str(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Result<ProgressMode> parse_progress_mode(const std::string& text) {
    if (text == "auto" || text == "tty" || text == "plain") return ProgressMode::Plain;
    if (text == "json") return ProgressMode::Json;
    if (text == "quiet") return ProgressMode::Quiet;
    return Error("invalid --progress " + text + ": use auto, tty, plain, json or quiet");
}

std::string progress_line(const nlohmann::json& event) {
    std::string s = " " + str(event, "resource") + "  " + str(event, "status");
    std::string text = str(event, "text");
    if (!text.empty()) s += "  " + text;
    return s;
}

std::string warning_line(std::string_view text, long seconds) {
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "WARN[%04ld] ", seconds < 0 ? 0 : seconds);
    return stamp + std::string(text);
}

int StreamResult::exit_status() const {
    if (!seen) return 1;
    if (exit_code != 0) return exit_code;
    return ok ? 0 : 1;
}

void ProgressPrinter::line(std::string_view text) {
    auto event = nlohmann::json::parse(text, nullptr, false);
    if (!event.is_object()) {
        out_ << "berth: unreadable line from berthd: " << text << "\n";
        return;
    }
    std::string type = str(event, "type");
    if (type == "result") {
        result_.seen = true;
        result_.ok = event.value("ok", false);
        result_.exit_code = event.value("exit_code", 0);
        result_.message = str(event, "message");
        return;
    }
    // `run -d` names the container it made on stdout, as docker compose does, so scripts can
    // capture it whatever the progress mode.
    if (type == "container") {
        std::cout << str(event, "name") << std::endl;
        return;
    }
    // Warnings come through the logger in docker compose, so --progress quiet keeps them.
    if (mode_ == ProgressMode::Quiet && type != "warning") return;
    if (mode_ == ProgressMode::Json && type != "warning") {
        out_ << text << "\n";
    } else if (type == "warning") {
        out_ << warning_line(str(event, "text"), elapsed_ != nullptr ? elapsed_() : 0) << "\n";
    } else if (type == "progress") {
        out_ << progress_line(event) << "\n";
    }
    out_.flush();
}

}  // namespace berth::cli
