// The routes of projects, containers, images and events (service*.cpp).
#pragma once
#include "daemon/config.hpp"
#include "daemon/http.hpp"
namespace berth::daemon {
// Opens the state and the stores under cfg's roots, re-adopts containers, and adds the routes.
Result<void> register_routes(Router& router, const DaemonConfig& cfg);
// Called once run() has returned: closes the state database.
void shutdown_service();
}  // namespace berth::daemon
