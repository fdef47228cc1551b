#include "compose/hash.hpp"

#include <openssl/evp.h>

#include <cstdio>

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
