#include "port_lookup.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace berth::cli {
namespace {

std::string port_text(int port, const std::string& protocol) {
    return std::to_string(port) + "/" + protocol;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

const nlohmann::json* replica(const nlohmann::json& containers, const PortQuery& q) {
    if (!containers.is_array()) return nullptr;
    for (const auto& c : containers) {
        if (c.value("Service", "") == q.service && c.value("Number", 0) == q.index &&
            !c.value("OneOff", false)) {
            return &c;
        }
    }
    return nullptr;
}

}  // namespace

Result<int> parse_private_port(const std::string& text) {
    auto syntax = [&](const char* what) {
        return Error("strconv.ParseUint: parsing \"" + text + "\": " + what);
    };
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
        return syntax("invalid syntax");
    }
    long value = 0;
    for (char c : text) {
        value = value * 10 + (c - '0');
        if (value > 65535) return syntax("value out of range");
    }
    return static_cast<int>(value);
}

Result<std::string> published_address(const nlohmann::json& containers, const PortQuery& q) {
    const nlohmann::json* c = replica(containers, q);
    if (!c) return Error("no container found for " + q.service + "-" + std::to_string(q.index));
    std::string protocol = lower(q.protocol);
    const nlohmann::json publishers = c->value("Publishers", nlohmann::json::array());
    std::vector<std::string> known;
    for (const auto& p : publishers) {
        std::string proto = lower(p.value("Protocol", "tcp"));
        if (p.value("TargetPort", 0) == q.port && proto == protocol) {
            return p.value("URL", "") + ":" + std::to_string(p.value("PublishedPort", 0));
        }
        // The container's own ports, so the user sees which private port to ask for.
        std::string item = port_text(p.value("TargetPort", 0), proto);
        if (std::find(known.begin(), known.end(), item) == known.end()) known.push_back(item);
    }
    std::string message =
        "no port " + port_text(q.port, protocol) + " for container " + c->value("Name", "");
    if (known.empty()) return Error(message);
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    return Error(message + ": " + list);
}

}  // namespace berth::cli
