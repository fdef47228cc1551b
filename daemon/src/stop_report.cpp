#include "stop_report.hpp"

namespace berth::daemon {

void report_stop(Progress& progress, const std::string& container_name,
                 const StopOutcome& outcome) {
    if (!outcome.killed) return;
    progress.event("Container " + container_name, "Killed", outcome.reason);
}

}  // namespace berth::daemon
