// Reverse-lookup names (RFC 1035 §3.5 in-addr.arpa, RFC 3596 §2.5 ip6.arpa) to and from
// addresses. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "network/address.hpp"

namespace berth::dns {

// "4.3.2.1.in-addr.arpa" for 1.2.3.4; 32 nibbles + "ip6.arpa" for IPv6. No trailing dot.
std::string reverse_name(const network::Address& a);

// The address a complete reverse name stands for; nullopt for anything else (a partial name
// such as "2.1.in-addr.arpa", a label that is not a decimal octet or a hex nibble). Expects a
// lower-cased name without a trailing dot.
std::optional<network::Address> parse_reverse_name(std::string_view name);

// Whether the name lies under in-addr.arpa or ip6.arpa (lower-cased, no trailing dot).
bool is_reverse_name(std::string_view name);

}  // namespace berth::dns
