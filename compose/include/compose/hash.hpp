// The configuration hash of a service: what decides whether a running container is still up to
// date.
#pragma once

#include <string>

#include "compose/node.hpp"

namespace berth::compose {

// The service as hashed: without scale, deploy.replicas (an emptied deploy goes too), build,
// pull_policy, depends_on and profiles, as docker compose's ServiceHash.
Node hashed_service(const Node& service);
// sha256 (hex) of hashed_service(): scaling, or changing only those keys, recreates nothing.
std::string service_config_hash(const Node& service);

}  // namespace berth::compose
