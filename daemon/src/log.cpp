#include "log.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <ctime>

namespace berth::daemon {
namespace {

std::atomic<int> g_min_level{static_cast<int>(LogLevel::info)};

const char* level_name(LogLevel level) {
    switch (level) {
        case LogLevel::debug:
            return "debug";
        case LogLevel::info:
            return "info";
        case LogLevel::warn:
            return "warn";
        case LogLevel::error:
            return "error";
    }
    return "info";
}

std::string utc_now() {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    tm t{};
    gmtime_r(&ts.tv_sec, &t);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", t.tm_year + 1900,
                  t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, ts.tv_nsec / 1000000);
    return buf;
}

}  // namespace

void set_log_level(const std::string& level) {
    LogLevel l = level == "debug"   ? LogLevel::debug
                 : level == "warn"  ? LogLevel::warn
                 : level == "error" ? LogLevel::error
                                    : LogLevel::info;
    g_min_level = static_cast<int>(l);
}

bool log_enabled(LogLevel level) {
    return static_cast<int>(level) >= g_min_level;
}

void log(LogLevel level, const std::string& message) {
    if (!log_enabled(level)) return;
    // One write(2) per line, so lines from several threads never interleave.
    std::string line = utc_now() + " " + level_name(level) + " " + message + "\n";
    [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace berth::daemon
