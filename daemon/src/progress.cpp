#include "progress.hpp"

#include <nlohmann/json.hpp>

#include "event_bus.hpp"

namespace berth::daemon {

void Progress::start() {
    open_ = w_.start_stream();
}

void Progress::write(const std::string& line) {
    std::lock_guard lock(mu_);
    if (open_) open_ = w_.write_line(line);
}

void Progress::event(const std::string& resource, const std::string& status,
                     const std::string& text) {
    nlohmann::json j = {{"type", "progress"},
                        {"time", rfc3339_nano(now_nano())},
                        {"resource", resource},
                        {"status", status},
                        {"text", text}};
    write(j.dump());
}

void Progress::warning(const std::string& text) {
    nlohmann::json j = {{"type", "warning"}, {"time", rfc3339_nano(now_nano())}, {"text", text}};
    write(j.dump());
}

void Progress::result(bool ok, int exit_code, const std::string& message) {
    nlohmann::json j = {{"type", "result"}, {"ok", ok}, {"exit_code", exit_code}};
    if (!message.empty()) j["message"] = message;
    write(j.dump());
    std::lock_guard lock(mu_);
    if (open_) w_.finish();
    open_ = false;
}

void Progress::raw(const std::string& json_line) {
    write(json_line);
}

}  // namespace berth::daemon
