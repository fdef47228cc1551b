// The configuration hash of a service: what decides whether a running container is still up to
// date.
#pragma once

#include <string>

#include "compose/node.hpp"

namespace berth::compose {

// sha256 (hex) of the service's normalized definition, leaving out what only changes how many
// replicas run (scale, deploy.replicas), so scaling never recreates containers.
std::string service_config_hash(const Node& service);

}  // namespace berth::compose
