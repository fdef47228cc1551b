#include "network_request.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <optional>
#include <tuple>

#include "verb_support.hpp"

namespace berth::cli {
namespace {

using ordered = nlohmann::ordered_json;

struct Address {
    int family = 0;
    std::array<std::uint8_t, 16> bytes{};
    int bits() const { return family == AF_INET ? 32 : 128; }
};

std::optional<Address> parse_ip(const std::string& text) {
    Address a;
    if (::inet_pton(AF_INET, text.c_str(), a.bytes.data()) == 1) {
        a.family = AF_INET;
        return a;
    }
    if (::inet_pton(AF_INET6, text.c_str(), a.bytes.data()) == 1) {
        a.family = AF_INET6;
        return a;
    }
    return std::nullopt;
}

struct Prefix {
    Address addr;
    int length = 0;
};

std::optional<Prefix> parse_prefix(const std::string& text) {
    auto slash = text.find('/');
    if (slash == std::string::npos) return std::nullopt;
    auto addr = parse_ip(text.substr(0, slash));
    std::string len = text.substr(slash + 1);
    if (!addr || len.empty() || len.size() > 3 ||
        len.find_first_not_of("0123456789") != std::string::npos) {
        return std::nullopt;
    }
    int n = std::stoi(len);
    if (n > addr->bits()) return std::nullopt;
    return Prefix{*addr, n};
}

bool contains(const Prefix& p, const Address& a) {
    if (p.addr.family != a.family) return false;
    for (int bit = 0; bit < p.length; ++bit) {
        int mask = 0x80 >> (bit % 8);
        if ((p.addr.bytes[bit / 8] & mask) != (a.bytes[bit / 8] & mask)) return false;
    }
    return true;
}

Error invalid_cidr(const std::string& flag, const std::string& value) {
    return Error("invalid argument \"" + value + "\" for \"" + flag +
                 "\" flag: invalid CIDR address: " + value);
}

Error invalid_ip(const std::string& flag, const std::string& value) {
    return Error("invalid argument \"" + value + "\" for \"" + flag +
                 "\" flag: invalid string being converted to IP address: " + value);
}

struct SubnetConfig {
    std::string subnet;
    Prefix prefix;
    std::string ip_range, gateway;
    ordered aux = ordered::object();
};

Result<std::vector<SubnetConfig>> subnets(const std::vector<std::string>& texts) {
    std::vector<SubnetConfig> out;
    for (const auto& s : texts) {
        auto p = parse_prefix(s);
        if (!p) return Error("invalid subnet: invalid CIDR address: " + s);
        for (const auto& o : out) {
            if (contains(o.prefix, p->addr) || contains(*p, o.prefix.addr)) {
                return Error("multiple overlapping subnet configuration is not supported");
            }
        }
        out.push_back({s, *p, "", "", ordered::object()});
    }
    return out;
}

// The subnet holding `a`; docker's "no matching subnet for KIND VALUE" when there is none.
Result<SubnetConfig*> owner(std::vector<SubnetConfig>& configs, const Address& a,
                            const std::string& kind, const std::string& value) {
    for (auto& c : configs) {
        if (contains(c.prefix, a)) return &c;
    }
    return Error("no matching subnet for " + kind + " " + value);
}

Result<void> add_ranges(std::vector<SubnetConfig>& configs,
                        const std::vector<std::string>& ranges) {
    for (const auto& r : ranges) {
        auto p = parse_prefix(r);
        if (!p) return invalid_cidr("--ip-range", r);
        auto c = owner(configs, p->addr, "range", r);
        if (!c) return c.error();
        if (!(*c)->ip_range.empty()) {
            return Error("cannot configure multiple ranges (" + r + ", " + (*c)->ip_range +
                         ") on the same subnet (" + (*c)->subnet + ")");
        }
        (*c)->ip_range = r;
    }
    return {};
}

Result<void> add_gateways(std::vector<SubnetConfig>& configs,
                          const std::vector<std::string>& gateways) {
    for (const auto& g : gateways) {
        auto a = parse_ip(g);
        if (!a) return invalid_ip("--gateway", g);
        auto c = owner(configs, *a, "gateway", g);
        if (!c) return c.error();
        if (!(*c)->gateway.empty()) {
            return Error("cannot configure multiple gateways (" + g + ", " + (*c)->gateway +
                         ") for the same subnet (" + (*c)->subnet + ")");
        }
        (*c)->gateway = g;
    }
    return {};
}

Result<void> add_aux(std::vector<SubnetConfig>& configs, const std::vector<std::string>& aux) {
    for (const auto& item : aux) {
        auto eq = item.find('=');
        std::string name = item.substr(0, eq);
        std::string ip = eq == std::string::npos ? "" : item.substr(eq + 1);
        auto a = parse_ip(ip);
        if (name.empty() || !a) {
            return Error("invalid argument \"" + item +
                         "\" for \"--aux-address\" flag: expected NAME=IP");
        }
        auto c = owner(configs, *a, "aux-address", ip);
        if (!c) return c.error();
        (*c)->aux[name] = ip;
    }
    return {};
}

Result<ordered> ipam_config(const NetworkCreateArgs& a) {
    if (a.subnets.size() < a.ip_ranges.size() || a.subnets.size() < a.gateways.size()) {
        return Error("every ip-range or gateway must have a corresponding subnet");
    }
    auto configs = subnets(a.subnets);
    if (!configs) return configs.error();
    if (auto ok = add_ranges(*configs, a.ip_ranges); !ok) return ok.error();
    if (auto ok = add_gateways(*configs, a.gateways); !ok) return ok.error();
    if (auto ok = add_aux(*configs, a.aux_addresses); !ok) return ok.error();
    ordered out = ordered::array();
    for (const auto& c : *configs) {
        out.push_back({{"Subnet", c.subnet},
                       {"IPRange", c.ip_range},
                       {"Gateway", c.gateway},
                       {"AuxiliaryAddresses", c.aux}});
    }
    return out;
}

// K=V items as an object; a bare K maps to "", as docker's option maps do.
Result<ordered> key_values(const std::vector<std::string>& items, const char* what) {
    ordered out = ordered::object();
    for (const auto& item : items) {
        auto eq = item.find('=');
        std::string key = item.substr(0, eq);
        if (key.empty())
            return Error("invalid " + std::string(what) + " '" + item + "': empty name");
        out[key] = eq == std::string::npos ? "" : item.substr(eq + 1);
    }
    return out;
}

}  // namespace

Result<ordered> network_create_body(const NetworkCreateArgs& a) {
    auto config = ipam_config(a);
    if (!config) return config.error();
    auto options = key_values(a.options, "option");
    if (!options) return options.error();
    auto labels = key_values(a.labels, "label");
    if (!labels) return labels.error();
    return ordered{
        {"Name", a.name},
        {"Driver", a.driver.empty() ? "bridge" : a.driver},
        {"Internal", a.internal},
        {"EnableIPv6", a.ipv6},
        {"IPAM", {{"Driver", "default"}, {"Options", ordered::object()}, {"Config", *config}}},
        {"Options", *options},
        {"Labels", *labels}};
}

Result<nlohmann::json> network_filters(const std::vector<std::string>& filters) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& f : filters) {
        auto eq = f.find('=');
        if (eq == std::string::npos || eq == 0) {
            return Error("bad format of filter (expected name=value): " + f);
        }
        out[f.substr(0, eq)].push_back(f.substr(eq + 1));
    }
    return out;
}

Result<ordered> network_connect_body(const NetworkConnectArgs& a) {
    for (auto [flag, value, family] :
         {std::tuple{"--ip", &a.ip, AF_INET}, std::tuple{"--ip6", &a.ip6, AF_INET6}}) {
        if (value->empty()) continue;
        auto ip = parse_ip(*value);
        if (!ip) return invalid_ip(flag, *value);
        if (ip->family != family) {
            return Error("invalid argument \"" + *value + "\" for \"" + flag + "\" flag: not an " +
                         (family == AF_INET ? "IPv4" : "IPv6") + " address");
        }
    }
    return ordered{{"Container", a.container},
                   {"EndpointConfig",
                    {{"Aliases", a.aliases},
                     {"IPAMConfig", {{"IPv4Address", a.ip}, {"IPv6Address", a.ip6}}},
                     {"MacAddress", ""}}}};
}

ordered network_disconnect_body(const std::string& container, bool force) {
    return ordered{{"Container", container}, {"Force", force}};
}

std::string network_path(const std::string& name, const std::string& tail) {
    return "/v1/networks/" + url_encode(name) + (tail.empty() ? "" : "/" + tail);
}

}  // namespace berth::cli
