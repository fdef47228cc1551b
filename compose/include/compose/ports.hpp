// Port publishing specs in compose's short syntax ("8000:8000", "127.0.0.1:5000-5010:5000-5010",
// "[::1]:80:80/udp"), read the way the Docker CLI reads `-p`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace berth::compose {

// One container port of the long syntax; `published` is empty when the engine picks the host port,
// and may be a range ("8000-8010") when one container port takes the first free of several.
struct PortConfig {
    std::string mode = "ingress";
    std::string host_ip;
    std::uint32_t target = 0;
    std::string published;
    std::string protocol = "tcp";

    bool operator==(const PortConfig&) const = default;
};

// A range expands to one entry per container port, in the order compose prints them (sorted as
// "port/proto" strings). Errors carry Docker's wording, e.g. "Invalid hostPort: x" or
// "Invalid ranges specified for container and host Ports: 80-81 and 90".
Result<std::vector<PortConfig>> parse_port_spec(std::string_view spec);

}  // namespace berth::compose
