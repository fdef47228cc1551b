// The project, container, image and event routes of docs/api.md land here with the state store;
// until then berthd serves only the routes of system_routes.cpp.
#include "service.hpp"

namespace berth::daemon {

Result<void> register_routes(Router&, const DaemonConfig&) {
    return {};
}

void shutdown_service() {}

}  // namespace berth::daemon
