#include "compose/hash.hpp"

#include "common/sha256.hpp"
#include "compose/yaml.hpp"

namespace berth::compose {

std::string service_config_hash(const Node& service) {
    Node copy = service;
    if (copy.is_map()) {
        copy.erase("scale");
        if (Node* deploy = copy.find("deploy"); deploy != nullptr && deploy->is_map())
            deploy->erase("replicas");
    }
    std::string json = emit_json(copy, -1);
    return sha256_hex(json);
}

}  // namespace berth::compose
