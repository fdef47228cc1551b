#include "network/address.hpp"

#include <arpa/inet.h>

#include <algorithm>

namespace berth::network {

std::optional<Address> parse_address(std::string_view text) {
    std::string s(text);
    Address a;
    if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) return a;
    if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) {
        a.v6 = true;
        return a;
    }
    return std::nullopt;
}

std::string to_string(const Address& a) {
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(a.v6 ? AF_INET6 : AF_INET, a.bytes.data(), buf, sizeof buf);
    return buf;
}

Address next(const Address& a) {
    Address out = a;
    for (int i = a.bits() / 8 - 1; i >= 0; --i) {
        if (++out.bytes[static_cast<std::size_t>(i)] != 0) break;
    }
    return out;
}

namespace {

// Keeps the first `length` bits of a, zeroing the rest.
Address masked(const Address& a, int length) {
    Address out = a;
    for (int i = 0; i < a.bits() / 8; ++i) {
        int keep = std::clamp(length - 8 * i, 0, 8);
        auto mask = static_cast<std::uint8_t>(keep == 0 ? 0 : 0xFF << (8 - keep));
        out.bytes[static_cast<std::size_t>(i)] &= mask;
    }
    return out;
}

}  // namespace

Result<Prefix> parse_prefix(std::string_view text) {
    auto slash = text.find('/');
    auto addr = parse_address(text.substr(0, slash));
    if (slash == std::string_view::npos || !addr) {
        return Error("invalid subnet " + std::string(text) +
                     ": give an address and a prefix length, such as 172.28.0.0/16");
    }
    std::string_view len_text = text.substr(slash + 1);
    int length = 0;
    bool digits = !len_text.empty() && len_text.size() <= 3;
    for (char c : len_text) {
        digits = digits && c >= '0' && c <= '9';
        length = length * 10 + (c - '0');
    }
    if (!digits || length > addr->bits()) {
        return Error("invalid subnet " + std::string(text) + ": the prefix length must be 0 to " +
                     std::to_string(addr->bits()));
    }
    Prefix p{masked(*addr, length), length};
    if (p.base != *addr) {
        return Error("invalid subnet " + std::string(text) + ": it should be " + to_string(p));
    }
    return p;
}

std::string to_string(const Prefix& p) {
    return to_string(p.base) + "/" + std::to_string(p.length);
}

bool contains(const Prefix& p, const Address& a) {
    return a.v6 == p.base.v6 && masked(a, p.length) == p.base;
}

bool contains(const Prefix& outer, const Prefix& inner) {
    return inner.length >= outer.length && contains(outer, inner.base);
}

bool overlaps(const Prefix& a, const Prefix& b) {
    return contains(a, b) || contains(b, a);
}

Address last_address(const Prefix& p) {
    Address out = p.base;
    for (int i = 0; i < p.base.bits() / 8; ++i) {
        int keep = std::clamp(p.length - 8 * i, 0, 8);
        auto host = static_cast<std::uint8_t>(keep == 8 ? 0 : 0xFF >> keep);
        out.bytes[static_cast<std::size_t>(i)] |= host;
    }
    return out;
}

Address nth_address(const Prefix& p, std::uint64_t offset) {
    Address out = p.base;
    unsigned carry = 0;
    for (int i = p.base.bits() / 8 - 1; i >= 0; --i) {
        unsigned sum = out.bytes[static_cast<std::size_t>(i)] + (offset & 0xFF) + carry;
        out.bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(sum);
        carry = sum >> 8;
        offset >>= 8;
    }
    return out;
}

}  // namespace berth::network
