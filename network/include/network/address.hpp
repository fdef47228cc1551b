// IPv4 and IPv6 addresses and prefixes as IPAM needs them: parsed strictly, printed canonically
// (inet_ntop's forms), compared, stepped and tested for containment and overlap. Pure.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace berth::network {

struct Address {
    bool v6 = false;
    std::array<std::uint8_t, 16> bytes{};  // an IPv4 address uses the first 4

    int bits() const { return v6 ? 128 : 32; }
    auto operator<=>(const Address&) const = default;
};

std::optional<Address> parse_address(std::string_view text);
std::string to_string(const Address& a);
// a + 1 (wrapping to zero past the last address of its family).
Address next(const Address& a);

struct Prefix {
    Address base;  // host bits zero
    int length = 0;

    auto operator<=>(const Prefix&) const = default;
};

// "172.17.0.0/16". A prefix with host bits set is refused, naming the network it would be, as
// Docker does: `invalid subnet 172.17.0.1/16: it should be 172.17.0.0/16`.
Result<Prefix> parse_prefix(std::string_view text);
std::string to_string(const Prefix& p);
bool contains(const Prefix& p, const Address& a);
bool contains(const Prefix& outer, const Prefix& inner);
bool overlaps(const Prefix& a, const Prefix& b);
// The last address of the prefix (its IPv4 broadcast).
Address last_address(const Prefix& p);
// The address `offset` after the prefix's base (offset fits in 64 bits).
Address nth_address(const Prefix& p, std::uint64_t offset);

}  // namespace berth::network
