#include "progress.hpp"

#include <cstdio>
#include <iostream>

#include "tty_progress.hpp"

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
    if (text == "quiet" || text == "none") return ProgressMode::Quiet;
    return Error("unsupported --progress value \"" + text + "\"");
}

Result<ProgressMode> choose_progress_mode(const std::string& progress, const std::string& ansi,
                                          bool stderr_is_tty) {
    if (progress == "auto") {
        if (ansi == "never") return ProgressMode::Plain;
        return ansi == "always" || stderr_is_tty ? ProgressMode::Tty : ProgressMode::Plain;
    }
    if (progress == "tty") {
        if (ansi == "never")
            return Error("can't use --progress tty while ANSI support is disabled");
        return ProgressMode::Tty;
    }
    if (progress == "plain") {
        if (ansi == "always")
            return Error("can't use --progress plain while ANSI support is forced");
        return ProgressMode::Plain;
    }
    return parse_progress_mode(progress);
}

std::string json_progress_line(const nlohmann::json& event) {
    std::string status = str(event, "status");
    nlohmann::ordered_json out = {{"id", str(event, "resource")}, {"status", status}};
    if (std::string text = str(event, "text"); !text.empty()) out["text"] = text;
    switch (state_of(status)) {
        case ItemState::Working:
            out["state"] = "working";
            break;
        case ItemState::Done:
            out["state"] = "done";
            break;
        case ItemState::Error:
            out["state"] = "error";
            break;
    }
    if (std::string time = str(event, "time"); !time.empty()) out["time"] = time;
    return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string json_warning_line(const nlohmann::json& event) {
    nlohmann::ordered_json out = {{"level", "warning"}, {"msg", str(event, "text")}};
    if (std::string time = str(event, "time"); !time.empty()) out["time"] = time;
    return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string json_error_line(const std::string& message) {
    nlohmann::ordered_json out = {{"error", true}, {"message", message}};
    return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
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
        print(out_, "berth: unreadable line from berthd: " + std::string(text));
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
        print(std::cout, str(event, "name"));
        return;
    }
    if (type == "warning") {
        // Warnings come through the logger in docker compose, so --progress quiet keeps them.
        print(out_, mode_ == ProgressMode::Json
                        ? json_warning_line(event)
                        : warning_line(str(event, "text"), elapsed_ != nullptr ? elapsed_() : 0));
        return;
    }
    if (type != "progress") return;
    switch (mode_) {
        case ProgressMode::Tty:
            if (tty_ != nullptr) {
                tty_->event(str(event, "resource"), str(event, "status"), str(event, "text"));
                return;
            }
            print(out_, progress_line(event));
            return;
        case ProgressMode::Plain:
            print(out_, progress_line(event));
            return;
        case ProgressMode::Json:
            print(out_, json_progress_line(event));
            return;
        case ProgressMode::Quiet:
            return;
    }
}

void ProgressPrinter::print(std::ostream& where, const std::string& text) {
    if (tty_ != nullptr) {
        tty_->above(where, text);
        return;
    }
    where << text << std::endl;
}

}  // namespace berth::cli
