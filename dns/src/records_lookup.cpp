// Answering one question from a snapshot, without allocating beyond the answer's vector: the name
// is lower-cased into a stack buffer and every table is keyed for string_view lookups.
#include <array>

#include "dns/records.hpp"
#include "dns/reverse_name.hpp"
#include "names.hpp"

namespace berth::dns {

namespace {

// RFC 1035 §3.1: 255 octets on the wire, so at most 253 characters in text form.
constexpr std::size_t kMaxName = 253;

// splitmix64: cheap, and good enough to spread replicas; not for anything secret.
std::uint64_t next_random(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void shuffle(std::vector<Address>& v, std::uint64_t seed) {
    for (std::size_t i = v.size(); i > 1; --i) {
        std::size_t j = next_random(seed) % i;
        std::swap(v[i - 1], v[j]);
    }
}

}  // namespace

void lookup(const Snapshot& s, const Address& source, std::string_view name, QueryType type,
            std::uint64_t seed, Answer& out) {
    out.addresses.clear();
    out.ptr.clear();
    auto asker = s.askers_by_source_.find(source);
    if (asker == s.askers_by_source_.end()) {
        out.status = Status::Refused;
        return;
    }
    name = without_trailing_dot(name);
    if (name.empty() || name.size() > kMaxName) {
        out.status = Status::Forward;
        return;
    }
    std::array<char, kMaxName> buffer;
    for (std::size_t i = 0; i < name.size(); ++i) buffer[i] = lower_ascii(name[i]);
    const std::string_view key(buffer.data(), name.size());
    const auto& view = s.askers_[asker->second];
    if (type == QueryType::PTR && is_reverse_name(key)) {
        s.answer_reverse(view, key, out);
    } else {
        s.answer_name(view, key, type, seed, out);
    }
}

Status Snapshot::not_found(const Asker& asker, std::string_view key) const {
    // A single-label name berth knows anywhere (a container, service, alias, short id), or
    // "<name>.<a berth network>", never leaves the host: an upstream has no business learning
    // it, nor answering for a service that is restarting. A dotted alias known only on other
    // networks may be a real domain mocked there, so it is still forwarded.
    bool ours = key.find('.') == std::string_view::npos && known_.find(key) != known_.end();
    for (auto dot = key.find('.'); !ours && dot != std::string_view::npos;
         dot = key.find('.', dot + 1)) {
        ours = table_by_name_.find(key.substr(dot + 1)) != table_by_name_.end();
    }
    return (ours || asker.all_internal) ? Status::NxDomain : Status::Forward;
}

void Snapshot::answer_reverse(const Asker& asker, std::string_view key, Answer& out) const {
    auto ip = parse_reverse_name(key);
    if (!ip) {
        out.status = not_found(asker, key);
        return;
    }
    for (const auto& a : asker.attachments) {
        const auto& ptr = tables_[a.table].ptr;
        if (auto it = ptr.find(*ip); it != ptr.end()) {
            out.status = Status::Found;
            out.ptr.assign(it->second);
            return;
        }
    }
    // An address in a berth subnet is berth's to deny, even one the asker cannot see.
    for (const auto& t : tables_) {
        for (const auto& subnet : t.subnets) {
            if (network::contains(subnet, *ip)) {
                out.status = Status::NxDomain;
                return;
            }
        }
    }
    out.status = not_found(asker, key);
}

void Snapshot::answer_name(const Asker& asker, std::string_view key, QueryType type,
                           std::uint64_t seed, Answer& out) const {
    const bool address_query = type == QueryType::A || type == QueryType::AAAA;
    bool exists = false;
    bool linked = false;  // a link alias of the asker's, whose target may be down
    const std::vector<Address>* hit = nullptr;  // the first table's addresses of that family
    auto consider = [&](const Table& t, std::string_view n) {
        auto it = t.names.find(n);
        if (it == t.names.end()) return;
        exists = true;
        const auto& family = type == QueryType::AAAA ? it->second.v6 : it->second.v4;
        if (!hit && address_query && !family.empty()) hit = &family;
    };
    // Docker's order: links first, then the name on each network in priority order, then
    // "a.b.c" on network "d", "a.b" on network "c.d", ...
    for (const auto& a : asker.attachments) {
        if (auto link = a.links.find(key); link != a.links.end()) {
            linked = true;
            consider(tables_[a.table], link->second);
        }
    }
    for (const auto& a : asker.attachments) consider(tables_[a.table], key);
    for (auto dot = key.rfind('.'); !hit && dot != std::string_view::npos && dot > 0;
         dot = key.rfind('.', dot - 1)) {
        for (const auto& a : asker.attachments) {
            if (tables_[a.table].name == key.substr(dot + 1)) {
                consider(tables_[a.table], key.substr(0, dot));
            }
        }
    }
    if (hit) {
        out.status = Status::Found;
        out.addresses.assign(hit->begin(), hit->end());
        shuffle(out.addresses, seed);
    } else {
        out.status = exists ? Status::NoData : linked ? Status::NxDomain : not_found(asker, key);
    }
}

Answer lookup(const Snapshot& snapshot, const Address& source, std::string_view name,
              QueryType type, std::uint64_t seed) {
    Answer out;
    lookup(snapshot, source, name, type, seed, out);
    return out;
}

}  // namespace berth::dns
