// The progress line for a container that had to be killed when it was stopped: the stop summary
// names every one, so a user learns which services ignore their stop signal (docs/api.md).
#pragma once

#include <string>

#include "daemon/runtime.hpp"
#include "progress.hpp"

namespace berth::daemon {

// `Container NAME  Killed  did not stop within 10s after SIGTERM`, when outcome says so.
void report_stop(Progress& progress, const std::string& container_name, const StopOutcome& outcome);

}  // namespace berth::daemon
