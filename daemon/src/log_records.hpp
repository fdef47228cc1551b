// The pure half of Runtime::logs(): container log records (engine/container_log.hpp) turned into
// LogLines, the since/until/tail selection, and the merge by time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/runtime.hpp"

namespace berth::daemon {

// 2026-11-29T02:45:00.123456789Z (fewer fraction digits, or none, are accepted) as nanoseconds
// since the epoch.
std::optional<std::int64_t> parse_rfc3339_nano(std::string_view text);

struct LogEntry {
    LogLine line;
    bool newline = true;  // false for a record cut at 16 KiB or a last line without one
};

// One JSON line of the log file; nullopt for a record that does not parse.
std::optional<LogEntry> parse_entry(const std::string& container_id, std::string_view json_line);

// Splits text into complete lines (parsing each); what follows the last newline, a record being
// written right now, is left in text for the next read.
void take_entries(const std::string& container_id, std::string& text, std::vector<LogEntry>& out);

// Keeps the entries within [since, until] (0 = unbounded), then the last `tail` of them.
void select_entries(std::vector<LogEntry>& entries, const LogQuery& query);

// Merges per-container lists, each in time order, into one by time; ties keep container order.
std::vector<LogEntry> merge_by_time(std::vector<std::vector<LogEntry>> per_container);

}  // namespace berth::daemon
