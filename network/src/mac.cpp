#include "network/mac.hpp"

#include <sys/random.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>

namespace berth::network {

namespace {

using MacBytes = std::array<std::uint8_t, 6>;

std::string format(const MacBytes& b) {
    char buf[18];
    std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4],
                  b[5]);
    return buf;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string random_mac() {
    MacBytes b{};
    std::size_t got = 0;
    while (got < b.size()) {
        ssize_t n = ::getrandom(b.data() + got, b.size() - got, 0);
        // getrandom blocks only before the pool is seeded and fails only on EINTR here.
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        got += static_cast<std::size_t>(n);
    }
    b[0] = static_cast<std::uint8_t>((b[0] & 0xFE) | 0x02);
    return format(b);
}

std::optional<std::string> parse_mac(std::string_view text) {
    if (text.size() != 17) return std::nullopt;
    const char sep = text[2];
    if (sep != ':' && sep != '-') return std::nullopt;
    MacBytes b{};
    for (std::size_t i = 0; i < b.size(); ++i) {
        const std::size_t at = i * 3;
        if (i > 0 && text[at - 1] != sep) return std::nullopt;
        int hi = hex_digit(text[at]), lo = hex_digit(text[at + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        b[i] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
    if (b[0] & 0x01) return std::nullopt;
    if (b == MacBytes{}) return std::nullopt;
    return format(b);
}

std::string bridge_mac(std::string_view network_id) {
    auto nibble = [](char c) -> unsigned {
        if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
        if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
        if (c >= 'A' && c <= 'F') return static_cast<unsigned>(c - 'A' + 10);
        return static_cast<unsigned>(c) & 15u;
    };
    MacBytes b{0x02, 0, 0, 0, 0, 0};
    for (std::size_t i = 0; i < 10 && i < network_id.size(); ++i) {
        b[1 + i / 2] = static_cast<std::uint8_t>(b[1 + i / 2] << 4 | nibble(network_id[i]));
    }
    return format(b);
}

std::string mac_from_ipv4(const Address& a) {
    return format({0x02, 0x42, a.bytes[0], a.bytes[1], a.bytes[2], a.bytes[3]});
}

}  // namespace berth::network
