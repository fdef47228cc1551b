#include "dns/reverse_name.hpp"

#include <cstdint>

namespace berth::dns {

namespace {

constexpr std::string_view kV4Suffix = ".in-addr.arpa";
constexpr std::string_view kV6Suffix = ".ip6.arpa";
constexpr char kHex[] = "0123456789abcdef";

bool ends_with_zone(std::string_view name, std::string_view suffix) {
    return name.ends_with(suffix) || name == suffix.substr(1);
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

// The labels hold "d.c.b.a": four decimal octets, least significant first.
std::optional<network::Address> parse_v4(std::string_view labels) {
    network::Address a;
    for (int i = 3; i >= 0; --i) {
        auto dot = labels.find('.');
        std::string_view label = labels.substr(0, dot);
        if (label.empty() || label.size() > 3) return std::nullopt;
        unsigned value = 0;
        for (char c : label) {
            if (c < '0' || c > '9') return std::nullopt;
            value = value * 10 + static_cast<unsigned>(c - '0');
        }
        if (value > 255) return std::nullopt;
        a.bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(value);
        if ((dot == std::string_view::npos) != (i == 0)) return std::nullopt;
        labels.remove_prefix(dot == std::string_view::npos ? labels.size() : dot + 1);
    }
    return a;
}

// The labels hold 32 single nibbles, least significant first: "x.x.x...x" is 63 characters.
std::optional<network::Address> parse_v6(std::string_view labels) {
    if (labels.size() != 63) return std::nullopt;
    network::Address a;
    a.v6 = true;
    for (std::size_t n = 0; n < 32; ++n) {
        int v = hex_value(labels[n * 2]);
        if (v < 0 || (n < 31 && labels[n * 2 + 1] != '.')) return std::nullopt;
        std::size_t byte = 15 - n / 2;
        a.bytes[byte] |= static_cast<std::uint8_t>(n % 2 == 0 ? v : v << 4);
    }
    return a;
}

}  // namespace

std::string reverse_name(const network::Address& a) {
    std::string out;
    if (!a.v6) {
        for (int i = 3; i >= 0; --i)
            out += std::to_string(a.bytes[static_cast<std::size_t>(i)]) + ".";
        return out + "in-addr.arpa";
    }
    for (int i = 15; i >= 0; --i) {
        std::uint8_t b = a.bytes[static_cast<std::size_t>(i)];
        out += kHex[b & 0xf];
        out += '.';
        out += kHex[b >> 4];
        out += '.';
    }
    return out + "ip6.arpa";
}

std::optional<network::Address> parse_reverse_name(std::string_view name) {
    if (name.ends_with(kV4Suffix)) return parse_v4(name.substr(0, name.size() - kV4Suffix.size()));
    if (name.ends_with(kV6Suffix)) return parse_v6(name.substr(0, name.size() - kV6Suffix.size()));
    return std::nullopt;
}

bool is_reverse_name(std::string_view name) {
    return ends_with_zone(name, kV4Suffix) || ends_with_zone(name, kV6Suffix);
}

}  // namespace berth::dns
