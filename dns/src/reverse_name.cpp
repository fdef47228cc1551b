// The records' string forms of reverse names, on top of the wire codec's (dns/wire.hpp), which
// holds the one parser of in-addr.arpa and ip6.arpa names.
#include "dns/reverse_name.hpp"

#include "dns/wire.hpp"

namespace berth::dns {

namespace {

constexpr std::string_view kV4Suffix = ".in-addr.arpa";
constexpr std::string_view kV6Suffix = ".ip6.arpa";

bool ends_with_zone(std::string_view name, std::string_view suffix) {
    return name.ends_with(suffix) || name == suffix.substr(1);
}

}  // namespace

std::string reverse_name(const network::Address& a) {
    std::string text = to_string(reverse_name(IpAddress{a.v6, a.bytes}));
    text.pop_back();  // the codec's presentation form ends with the root's dot
    return text;
}

std::optional<network::Address> parse_reverse_name(std::string_view name) {
    auto parsed = parse_name(name);
    if (!parsed) return std::nullopt;
    auto ip = parse_reverse_name(*parsed);
    if (!ip) return std::nullopt;
    return network::Address{ip->v6, ip->bytes};
}

bool is_reverse_name(std::string_view name) {
    return ends_with_zone(name, kV4Suffix) || ends_with_zone(name, kV6Suffix);
}

}  // namespace berth::dns
