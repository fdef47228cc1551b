// The JSON columns of a network's row: the spec it was made from and its planned subnets.
#include <nlohmann/json.hpp>

#include "json_fields.hpp"
#include "network_manager.hpp"

namespace berth::daemon {

namespace {

using json = nlohmann::json;

json subnet_json(const network::SubnetSpec& s) {
    return {{"Subnet", s.subnet},
            {"IPRange", s.ip_range},
            {"Gateway", s.gateway},
            {"AuxiliaryAddresses", s.aux_addresses}};
}

network::SubnetSpec subnet_of(const json& j) {
    return {json_string(j, "Subnet"), json_string(j, "IPRange"), json_string(j, "Gateway"),
            json_string_map(j, "AuxiliaryAddresses")};
}

json parse_or_empty(const std::string& text) {
    json j = json::parse(text, nullptr, false);
    return j.is_object() ? j : json::object();
}

}  // namespace

NetworkIpam parse_ipam(const std::string& json_text) {
    json j = parse_or_empty(json_text);
    NetworkIpam out;
    if (auto it = j.find("subnets"); it != j.end() && it->is_array()) {
        for (const auto& s : *it) out.subnets.push_back(subnet_of(s));
    }
    out.last = json_string_map(j, "last");
    return out;
}

std::string ipam_json(const NetworkIpam& ipam) {
    json subnets = json::array();
    for (const auto& s : ipam.subnets) subnets.push_back(subnet_json(s));
    return json{{"subnets", subnets}, {"last", ipam.last}}.dump();
}

network::NetworkSpec parse_spec(const std::string& json_text) {
    json j = parse_or_empty(json_text);
    network::NetworkSpec s;
    s.key = json_string(j, "key");
    s.name = json_string(j, "name");
    auto driver = network::parse_driver(json_string(j, "driver"));
    s.driver = driver ? *driver : network::Driver::Bridge;
    s.external = j.value("external", false);
    s.internal = j.value("internal", false);
    s.enable_ipv6 = j.value("enable_ipv6", false);
    if (auto it = j.find("subnets"); it != j.end() && it->is_array()) {
        for (const auto& sub : *it) s.subnets.push_back(subnet_of(sub));
    }
    // The options carry every driver option, so the fields they set are derived again.
    (void)network::apply_driver_options(s, json_string_map(j, "options"));
    s.labels = json_string_map(j, "labels");
    return s;
}

std::string spec_json(const network::NetworkSpec& s) {
    json subnets = json::array();
    for (const auto& sub : s.subnets) subnets.push_back(subnet_json(sub));
    return json{{"key", s.key},
                {"name", s.name},
                {"driver", network::to_string(s.driver)},
                {"external", s.external},
                {"internal", s.internal},
                {"enable_ipv6", s.enable_ipv6},
                {"subnets", subnets},
                {"options", s.options},
                {"labels", s.labels}}
        .dump();
}

}  // namespace berth::daemon
