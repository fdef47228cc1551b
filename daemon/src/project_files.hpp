// A service's `configs:` and `secrets:` as files on the host, which the container binds
// read-only: a `file:` source as it is, a `content:` source written into the container's data
// folder. Other sources (`environment:`, `external:`) are refused with the reason.
#pragma once

#include <string>

#include "common/result.hpp"
#include "compose/project.hpp"
#include "daemon_context.hpp"

namespace berth::daemon {

// What `up` checks before it makes anything: `source` is declared under the top-level
// `configs:`/`secrets:` (`kind` "config" or "secret") with a source berth takes, and a `file:`
// exists. Returns the file for a `file:` source, a placeholder for `content:`.
Result<std::string> check_file_source(const compose::Project& project, const std::string& kind,
                                      const std::string& source);

// The host file the container binds; a `content:` source is written (0444) under
// <container-data>/<container_id>/files.
Result<std::string> file_source(DaemonContext& ctx, const compose::Project& project,
                                const std::string& container_id, const std::string& kind,
                                const std::string& source);

}  // namespace berth::daemon
