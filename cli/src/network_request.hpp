// `berth network ...` arguments turned into the bodies and queries of berthd's network routes
// (docs/api.md, "Networks"), checked the way docker's CLI checks them before it asks its daemon.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace berth::cli {

struct NetworkCreateArgs {
    std::string name;
    std::string driver = "bridge";
    std::vector<std::string> subnets, ip_ranges, gateways, aux_addresses;  // aux: NAME=IP
    std::vector<std::string> options, labels;                              // K=V (or K)
    bool internal = false;
    bool ipv6 = false;
};

// The NetworkCreate body. Each --ip-range, --gateway and --aux-address joins the --subnet that
// contains it, as docker pairs them; one without such a subnet, two ranges or gateways on one
// subnet, or overlapping subnets are refused with docker's messages.
Result<nlohmann::ordered_json> network_create_body(const NetworkCreateArgs& args);

// -f/--filter KEY=VALUE, repeated, as the route's filters: {"name":["a","b"],"label":["k=v"]}.
Result<nlohmann::json> network_filters(const std::vector<std::string>& filters);

struct NetworkConnectArgs {
    std::string container;
    std::vector<std::string> aliases;
    std::string ip, ip6;
};

Result<nlohmann::ordered_json> network_connect_body(const NetworkConnectArgs& args);
nlohmann::ordered_json network_disconnect_body(const std::string& container, bool force);

// The route for one network: /v1/networks/NAME[/tail], NAME percent-encoded.
std::string network_path(const std::string& name, const std::string& tail = "");

}  // namespace berth::cli
