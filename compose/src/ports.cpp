#include "compose/ports.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace berth::compose {

namespace {

struct SpecParts {
    std::string ip, host, container;
};

std::vector<std::string> split(std::string_view s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= s.size(); ++i) {
        if (i == s.size() || s[i] == sep) {
            out.emplace_back(s.substr(start, i - start));
            start = i + 1;
        }
    }
    return out;
}

// "ip:host:container", where the ip part may itself hold colons (IPv6).
SpecParts split_parts(std::string_view raw) {
    std::vector<std::string> parts = split(raw, ':');
    std::size_t n = parts.size();
    SpecParts out;
    out.container = parts[n - 1];
    if (n == 2) out.host = parts[0];
    if (n >= 3) {
        out.host = parts[n - 2];
        for (std::size_t i = 0; i + 2 < n; ++i) out.ip += (i ? ":" : "") + parts[i];
    }
    return out;
}

// "80/udp" -> {udp, 80}; no or an empty protocol means tcp.
std::pair<std::string, std::string> split_proto(const std::string& raw) {
    std::vector<std::string> parts = split(raw, '/');
    if (raw.empty() || parts[0].empty()) return {"", ""};
    if (parts.size() == 1 || parts[1].empty()) return {"tcp", parts[0]};
    return {parts[1], parts[0]};
}

bool parse_u16(const std::string& s, std::uint64_t& out) {
    if (s.empty()) return false;
    out = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        out = out * 10 + static_cast<std::uint64_t>(c - '0');
        if (out > 65535) return false;
    }
    return true;
}

bool parse_range(const std::string& s, std::uint64_t& start, std::uint64_t& end) {
    std::size_t dash = s.find('-');
    if (dash == std::string::npos) {
        if (!parse_u16(s, start)) return false;
        end = start;
        return true;
    }
    std::vector<std::string> parts = split(s, '-');
    return parse_u16(parts[0], start) && parse_u16(parts[1], end) && end >= start;
}

bool valid_ip(const std::string& ip) {
    unsigned char buf[16];
    return inet_pton(AF_INET, ip.c_str(), buf) == 1 || inet_pton(AF_INET6, ip.c_str(), buf) == 1;
}

// Strips the brackets of "[::1]" the way Go's net.SplitHostPort(ip + ":") does, with its errors.
Result<std::string> unbracket(const std::string& raw) {
    auto bad = [&raw](const char* why) {
        return Error("Invalid ip address " + raw + ": address " + raw + ":: " + why);
    };
    std::string host = raw;
    std::size_t rest = 0;  // where stray brackets are looked for
    if (!raw.empty() && raw[0] == '[') {
        std::size_t close = raw.find(']');
        if (close == std::string::npos) return bad("missing ']' in address");
        if (close + 1 != raw.size()) {
            return bad(raw[close + 1] == ':' ? "too many colons in address"
                                             : "missing port in address");
        }
        host = raw.substr(1, close - 1);
        rest = 1;
    } else if (raw.find(':') != std::string::npos) {
        return bad("too many colons in address");
    }
    if (raw.find('[', rest) != std::string::npos) return bad("unexpected '[' in address");
    if (rest == 0 && raw.find(']') != std::string::npos) return bad("unexpected ']' in address");
    return host;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

Result<std::vector<PortConfig>> parse_port_spec(std::string_view spec) {
    SpecParts parts = split_parts(spec);
    auto [proto, container] = split_proto(parts.container);
    Result<std::string> ip = unbracket(parts.ip);
    if (!ip) return ip.error();
    if (!ip->empty() && !valid_ip(*ip)) return Error("Invalid ip address: " + *ip);
    if (container.empty()) return Error("No port specified: " + std::string(spec) + "<empty>");
    std::uint64_t start = 0, end = 0, host_start = 0, host_end = 0;
    if (!parse_range(container, start, end)) return Error("Invalid containerPort: " + container);
    if (!parts.host.empty() && !parse_range(parts.host, host_start, host_end)) {
        return Error("Invalid hostPort: " + parts.host);
    }
    // A host range with a single container port is a pool to pick one free host port from.
    if (!parts.host.empty() && end - start != host_end - host_start && end != start) {
        return Error("Invalid ranges specified for container and host Ports: " + container +
                     " and " + parts.host);
    }
    std::string protocol = lower(proto);
    if (protocol != "tcp" && protocol != "udp" && protocol != "sctp") {
        return Error("Invalid proto: " + proto);
    }
    std::vector<std::pair<std::string, PortConfig>> keyed;
    for (std::uint64_t i = 0; i <= end - start; ++i) {
        PortConfig p;
        p.host_ip = *ip;
        p.target = static_cast<std::uint32_t>(start + i);
        p.protocol = protocol;
        if (!parts.host.empty()) p.published = std::to_string(host_start + i);
        if (start == end && host_start != host_end) p.published += "-" + std::to_string(host_end);
        keyed.emplace_back(std::to_string(p.target) + "/" + protocol, p);
    }
    // compose walks the ports of one spec as sorted "port/proto" strings, so "998-1001" comes out
    // as 1000, 1001, 998, 999.
    std::stable_sort(keyed.begin(), keyed.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<PortConfig> out;
    out.reserve(keyed.size());
    for (auto& [key, p] : keyed) out.push_back(std::move(p));
    return out;
}

}  // namespace berth::compose
