// Internal pieces of finalize_types().
#pragma once

#include "compose/node.hpp"

namespace berth::compose::detail {

void finalize_service(Node& svc);
void finalize_deploy(Node& deploy);
void finalize_device_request(Node& request);

}  // namespace berth::compose::detail
