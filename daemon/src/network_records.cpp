// The JSON columns of a network's row: the spec it was made from and its planned subnets.
#include <nlohmann/json.hpp>

#include "network_manager.hpp"

namespace berth::daemon {

namespace {

using json = nlohmann::json;

std::string str(const json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

std::map<std::string, std::string> str_map(const json& j, const char* key) {
    std::map<std::string, std::string> out;
    auto it = j.find(key);
    if (it == j.end() || !it->is_object()) return out;
    for (const auto& [k, v] : it->items()) {
        if (v.is_string()) out[k] = v.get<std::string>();
    }
    return out;
}

json subnet_json(const network::SubnetSpec& s) {
    return {{"Subnet", s.subnet},
            {"IPRange", s.ip_range},
            {"Gateway", s.gateway},
            {"AuxiliaryAddresses", s.aux_addresses}};
}

network::SubnetSpec subnet_of(const json& j) {
    return {str(j, "Subnet"), str(j, "IPRange"), str(j, "Gateway"),
            str_map(j, "AuxiliaryAddresses")};
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
    out.last = str_map(j, "last");
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
    s.key = str(j, "key");
    s.name = str(j, "name");
    auto driver = network::parse_driver(str(j, "driver"));
    s.driver = driver ? *driver : network::Driver::Bridge;
    s.external = j.value("external", false);
    s.internal = j.value("internal", false);
    s.enable_ipv6 = j.value("enable_ipv6", false);
    if (auto it = j.find("subnets"); it != j.end() && it->is_array()) {
        for (const auto& sub : *it) s.subnets.push_back(subnet_of(sub));
    }
    // The options carry every driver option, so the fields they set are derived again.
    (void)network::apply_driver_options(s, str_map(j, "options"));
    s.labels = str_map(j, "labels");
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
