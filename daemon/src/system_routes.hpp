// The routes that need nothing but the daemon itself: a liveness probe and the version.
#pragma once

#include "daemon/http.hpp"

namespace berth::daemon {

inline constexpr const char* kDaemonVersion = "0.1.0";

void add_system_routes(Router& router);

}  // namespace berth::daemon
