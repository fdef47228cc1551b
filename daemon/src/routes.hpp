// The route groups of berthd and the lookups they share.
#pragma once

#include "daemon/http.hpp"
#include "daemon/state.hpp"
#include "daemon_context.hpp"

namespace berth::daemon {

void add_query_routes(Router& r, DaemonContext& ctx);    // query_routes.cpp
void add_stdio_routes(Router& r, DaemonContext& ctx);    // stdio_routes.cpp
void add_archive_routes(Router& r, DaemonContext& ctx);  // archive_routes.cpp (cp)
void add_image_routes(Router& r, DaemonContext& ctx);    // image_routes.cpp
// Brings the state's image rows in step with the store (at start-up, after each image route that
// changes the store, and when images are listed, since `--data-root` commands change the store
// behind berthd's back). The caller holds ctx.store_mu.
Result<void> record_images(DaemonContext& ctx);
void add_inspect_routes(Router& r, DaemonContext& ctx);  // inspect_route.cpp
void add_network_routes(Router& r, DaemonContext& ctx);  // network_routes.cpp
void add_volume_routes(Router& r, DaemonContext& ctx);   // volume_routes.cpp
// A container's NetworkSettings (its ports and networks) as inspect shows them, as JSON text.
std::string network_settings_json(DaemonContext& ctx, const std::string& container_id);

// A container by name, id, or unique id prefix of at least 4 digits.
Result<ContainerRecord> find_container(DaemonContext& ctx, const std::string& ref);

}  // namespace berth::daemon
