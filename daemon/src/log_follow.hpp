// Reading container logs as they grow: the shared engine of Runtime::logs() and attach().
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "daemon/runtime.hpp"
#include "log_records.hpp"

namespace berth::daemon {

// Runtime::logs() over LogEntries (which keep whether a line ended in a newline).
Result<void> read_logs(const std::string& root, const std::vector<std::string>& ids,
                       const LogQuery& query, const std::function<bool(const LogEntry&)>& sink);

}  // namespace berth::daemon
