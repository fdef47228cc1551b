#include "compose/hash.hpp"

#include <openssl/evp.h>

#include <cstdio>

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
    std::string json = emit_json(hashed_service(service), -1);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(json.data(), json.size(), digest, &len, EVP_sha256(), nullptr);
    std::string hex;
    char buf[3];
    for (unsigned int i = 0; i < len; ++i) {
        std::snprintf(buf, sizeof buf, "%02x", digest[i]);
        hex += buf;
    }
    return hex;
}

}  // namespace berth::compose
