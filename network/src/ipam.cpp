#include "network/ipam.hpp"

#include <algorithm>
#include <limits>

namespace berth::network {

namespace {

Prefix must(const char* text) {
    return parse_prefix(text).value();
}

// a + (value << shift), in the address's own width; the caller keeps the sum inside the prefix.
Address add_shifted(Address a, std::uint64_t value, int shift) {
    const int width = a.bits();
    for (int bit = 0; bit < 64 && value != 0; ++bit, value >>= 1) {
        if ((value & 1) == 0) continue;
        int pos = width - 1 - (shift + bit);  // bit index from the most significant end
        if (pos < 0) break;
        // Add 1 at pos, carrying towards the most significant byte.
        int byte = pos / 8;
        unsigned add = 1u << (7 - pos % 8);
        for (int i = byte; i >= 0 && add != 0; --i) {
            unsigned sum = a.bytes[static_cast<std::size_t>(i)] + add;
            a.bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(sum);
            add = sum >> 8;
        }
    }
    return a;
}

// How many addresses a prefix holds, saturated at 2^63.
std::uint64_t capacity(const Prefix& p) {
    int host_bits = p.base.bits() - p.length;
    return host_bits >= 63 ? std::uint64_t{1} << 63 : std::uint64_t{1} << host_bits;
}

bool is_broadcast(const Subnet& s, const Address& a) {
    return !a.v6 && s.subnet.length < 31 && a == last_address(s.subnet);
}

bool is_network(const Subnet& s, const Address& a) {
    return s.subnet.length < a.bits() - 1 && a == s.subnet.base;
}

bool usable(const Subnet& s, const Address& a, const std::set<Address>& in_use) {
    return !is_network(s, a) && !is_broadcast(s, a) && !in_use.count(a) &&
           std::find(s.reserved.begin(), s.reserved.end(), a) == s.reserved.end();
}

Result<Address> address_in(const Prefix& subnet, const std::string& text, const std::string& what) {
    auto a = parse_address(text);
    if (!a) return Error("invalid " + what + " " + text + ": not an IP address");
    if (!contains(subnet, *a)) {
        return Error(what + " " + text + " is not in subnet " + to_string(subnet));
    }
    return *a;
}

}  // namespace

const std::vector<AddressPool>& default_pools() {
    static const std::vector<AddressPool> pools = {
        {must("172.17.0.0/16"), 16},  {must("172.18.0.0/16"), 16}, {must("172.19.0.0/16"), 16},
        {must("172.20.0.0/14"), 16},  {must("172.24.0.0/14"), 16}, {must("172.28.0.0/14"), 16},
        {must("192.168.0.0/16"), 20},
    };
    return pools;
}

Result<AddressPool> make_pool(const std::string& base, int size) {
    auto p = parse_prefix(base);
    if (!p) return p.error().context("default-address-pools");
    if (size < p->length || size > p->base.bits()) {
        return Error("default-address-pools: size " + std::to_string(size) + " for " + base +
                     " must be between " + std::to_string(p->length) + " and " +
                     std::to_string(p->base.bits()));
    }
    return AddressPool{*p, size};
}

Result<Prefix> next_subnet(const std::vector<AddressPool>& pools, const std::vector<Prefix>& taken,
                           const std::vector<Prefix>& reserved) {
    auto clashes = [&](const Prefix& candidate) {
        auto hit = [&](const Prefix& other) { return overlaps(candidate, other); };
        return std::any_of(taken.begin(), taken.end(), hit) ||
               std::any_of(reserved.begin(), reserved.end(), hit);
    };
    for (const auto& pool : pools) {
        const int shift = pool.base.base.bits() - pool.size;
        const int split = pool.size - pool.base.length;
        // A pool split into more than 2^20 subnets is searched over its first 2^20: enough for
        // any host, and a bound on the work.
        const std::uint64_t count = std::uint64_t{1} << std::min(split, 20);
        for (std::uint64_t i = 0; i < count; ++i) {
            Prefix candidate{add_shifted(pool.base.base, i, shift), pool.size};
            if (!clashes(candidate)) return candidate;
        }
    }
    return Error("all predefined address pools have been fully subnetted");
}

Result<Subnet> plan_subnet(const SubnetSpec& spec) {
    auto subnet = parse_prefix(spec.subnet);
    if (!subnet) return subnet.error();
    Subnet s = default_subnet(*subnet);
    if (!spec.ip_range.empty()) {
        auto range = parse_prefix(spec.ip_range);
        if (!range)
            return Error("invalid ip_range " + spec.ip_range + ": " + range.error().message());
        if (!contains(*subnet, *range)) {
            return Error("ip_range " + spec.ip_range + " is not in subnet " + spec.subnet);
        }
        s.range = *range;
    }
    if (!spec.gateway.empty()) {
        auto gw = address_in(*subnet, spec.gateway, "gateway");
        if (!gw) return gw.error();
        s.gateway = *gw;
        s.reserved = {*gw};
    }
    for (const auto& [name, text] : spec.aux_addresses) {
        auto a = address_in(*subnet, text, "aux address " + name);
        if (!a) return a.error();
        s.reserved.push_back(*a);
    }
    return s;
}

Subnet default_subnet(const Prefix& p) {
    Subnet s{p, p, nth_address(p, 1), {}};
    s.reserved = {s.gateway};
    return s;
}

Result<Address> allocate(const Subnet& s, const std::set<Address>& in_use,
                         const std::optional<Address>& last) {
    // At most this many addresses are skipped before a free one turns up, unless the range is
    // full: the scan stops there instead of walking a /64.
    const std::uint64_t skippable = in_use.size() + s.reserved.size() + 2;
    const std::uint64_t steps = std::min(capacity(s.range), skippable + 1);
    Address a = last && contains(s.range, *last) ? next(*last) : s.range.base;
    for (std::uint64_t i = 0; i < steps; ++i) {
        if (!contains(s.range, a)) a = s.range.base;  // past the end: wrap once
        if (usable(s, a, in_use)) return a;
        a = next(a);
    }
    return Error("no free address left in " + to_string(s.range));
}

Result<void> check_static(const Subnet& s, const Address& a, const std::set<Address>& in_use) {
    const std::string text = to_string(a);
    if (!contains(s.subnet, a)) {
        return Error("address " + text + " is not in subnet " + to_string(s.subnet));
    }
    if (is_network(s, a) || is_broadcast(s, a)) {
        return Error("address " + text + " is the subnet's own or broadcast address");
    }
    if (std::find(s.reserved.begin(), s.reserved.end(), a) != s.reserved.end()) {
        return Error("address " + text + " is reserved (the gateway or an aux address)");
    }
    if (in_use.count(a)) return Error("address " + text + " is already in use");
    return {};
}

}  // namespace berth::network
