// `berth port`: which host address a service's container publishes a private port on, read from
// the project's container listing (the `Publishers` of docs/api.md, "Container").
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/result.hpp"

namespace berth::cli {

struct PortQuery {
    std::string service;
    int index = 1;  // the replica: berth.number
    int port = 0;   // the private (target) port
    std::string protocol = "tcp";
};

// PRIVATE_PORT as docker compose reads it: a decimal number from 0 to 65535.
Result<int> parse_private_port(const std::string& text);

// "HOST_IP:PORT" (e.g. "0.0.0.0:8080") of the first publisher of that port and protocol on the
// service's replica `index`; docker compose's messages when the container or the port is not
// there. `containers` is GET /v1/projects/{name}/containers' reply.
Result<std::string> published_address(const nlohmann::json& containers, const PortQuery& query);

}  // namespace berth::cli
