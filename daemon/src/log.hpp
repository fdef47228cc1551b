// berthd's log lines on stderr: "2026-11-29T05:00:00.123Z info message". stderr is what
// systemd's journal and the CLI's background start both capture.
#pragma once

#include <string>

namespace berth::daemon {

enum class LogLevel { debug, info, warn, error };

// "debug", "info", "warn" or "error" (validated by the configuration); others mean info.
void set_log_level(const std::string& level);
bool log_enabled(LogLevel level);
void log(LogLevel level, const std::string& message);

inline void log_debug(const std::string& m) {
    log(LogLevel::debug, m);
}
inline void log_info(const std::string& m) {
    log(LogLevel::info, m);
}
inline void log_warn(const std::string& m) {
    log(LogLevel::warn, m);
}
inline void log_error(const std::string& m) {
    log(LogLevel::error, m);
}

}  // namespace berth::daemon
