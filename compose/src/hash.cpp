#include "compose/hash.hpp"

#include "common/sha256.hpp"
#include "compose/yaml.hpp"

namespace berth::compose {

// docker compose's ServiceHash leaves out the same keys: how many replicas run, how the image is
// built or pulled, start order and profiles change no container.
Node hashed_service(const Node& service) {
    Node copy = service;
    if (!copy.is_map()) return copy;
    for (const char* key : {"scale", "build", "pull_policy", "depends_on", "profiles"}) {
        copy.erase(key);
    }
    if (Node* deploy = copy.find("deploy"); deploy != nullptr && deploy->is_map()) {
        deploy->erase("replicas");
        // deploy.replicas alone, or scale: the same service.
        if (deploy->entries.empty()) copy.erase("deploy");
    }
    return copy;
}

std::string service_config_hash(const Node& service) {
    return sha256_hex(emit_json(hashed_service(service), -1));
}

}  // namespace berth::compose
