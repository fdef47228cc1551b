// Building a snapshot: one name table per network, the askers' views, and the names known anywhere.
#include <algorithm>
#include <cstring>

#include "dns/records.hpp"
#include "names.hpp"

namespace berth::dns {

namespace {

bool answerable(const ContainerRecord& c) {
    if (!c.running) return false;
    return !c.has_healthcheck || c.healthy || !c.health_aware;
}

// Whether every network the container is on is internal: then nothing is forwarded for it.
template <typename Tables, typename Attachments>
bool all_internal(const Tables& tables, const Attachments& attachments) {
    return !attachments.empty() &&
           std::all_of(attachments.begin(), attachments.end(),
                       [&](const auto& a) { return tables[a.table].internal; });
}

template <typename Entry>
void sort_unique(std::vector<Entry>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

std::size_t AddressHash::operator()(const Address& a) const noexcept {
    std::uint64_t lo = 0, hi = 0;
    std::memcpy(&lo, a.bytes.data(), 8);
    std::memcpy(&hi, a.bytes.data() + 8, 8);
    // splitmix64's finaliser: IPv4 keys differ in few bits, and std::hash of an integer is
    // identity.
    std::uint64_t x = lo ^ (hi * 0x9e3779b97f4a7c15ULL) ^ (a.v6 ? 0x5555555555555555ULL : 0);
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return static_cast<std::size_t>(x ^ (x >> 31));
}

Result<bool> parse_health_aware(std::string_view value) {
    for (std::string_view yes : {"1", "t", "T", "TRUE", "true", "True"}) {
        if (value == yes) return true;
    }
    for (std::string_view no : {"0", "f", "F", "FALSE", "false", "False"}) {
        if (value == no) return false;
    }
    return Error("invalid value \"" + std::string(value) + "\" for label " +
                 std::string(kHealthAwareLabel) + ": expected true or false");
}

std::size_t Snapshot::name_count() const {
    std::size_t n = 0;
    for (const auto& t : tables_) n += t.names.size();
    return n;
}

std::vector<std::pair<std::string, std::vector<Address>>> Snapshot::table(
    std::string_view network_name) const {
    std::vector<std::pair<std::string, std::vector<Address>>> out;
    auto found = table_by_name_.find(normalized(network_name));
    if (found == table_by_name_.end()) return out;
    for (const auto& [name, entry] : tables_[found->second].names) {
        std::vector<Address> all = entry.v4;
        all.insert(all.end(), entry.v6.begin(), entry.v6.end());
        out.emplace_back(name, std::move(all));
    }
    std::sort(out.begin(), out.end());
    return out;
}

Result<Snapshot> Snapshot::build(const std::vector<NetworkRecord>& networks,
                                 const std::vector<ContainerRecord>& containers) {
    Snapshot s;
    NameMap<std::uint32_t> table_by_id;
    for (const auto& n : networks) {
        auto index = static_cast<std::uint32_t>(s.tables_.size());
        if (!table_by_id.emplace(n.id, index).second) {
            return Error("network " + n.id + " is listed twice");
        }
        s.tables_.push_back(Table{normalized(n.name), n.internal, n.subnets, {}, {}});
        s.table_by_name_.emplace(s.tables_.back().name, index);
    }
    for (const auto& c : containers) {
        if (auto added = s.add_container(c, table_by_id); !added) return added.error();
    }
    for (auto& t : s.tables_) {
        for (auto& [_, entry] : t.names) {
            sort_unique(entry.v4);
            sort_unique(entry.v6);
        }
    }
    return s;
}

Result<void> Snapshot::add_container(const ContainerRecord& c,
                                     const NameMap<std::uint32_t>& table_by_id) {
    Asker asker;
    for (const auto& ep : c.endpoints) {
        auto found = table_by_id.find(ep.network_id);
        if (found == table_by_id.end()) {
            return Error("container " + c.name + ": network " + ep.network_id + " is not known");
        }
        Attachment attachment{found->second, {}};
        for (const auto& [alias, target] : ep.links) {
            attachment.links.emplace(normalized(alias), normalized(target));
        }
        asker.attachments.push_back(std::move(attachment));
        add_endpoint(c, ep, tables_[found->second]);
    }
    if (asker.attachments.empty()) return {};
    asker.all_internal = all_internal(tables_, asker.attachments);
    auto index = static_cast<std::uint32_t>(askers_.size());
    for (const auto& ep : c.endpoints) {
        for (const auto& ip : {ep.ipv4, ep.ipv6}) {
            if (!ip) continue;
            // IPAM hands an address to one container at a time; should a stopped one still
            // hold a record of it, the running one is the one asking.
            auto [it, inserted] = askers_by_source_.emplace(*ip, index);
            if (!inserted && c.running) it->second = index;
        }
    }
    askers_.push_back(std::move(asker));
    return {};
}

void Snapshot::add_endpoint(const ContainerRecord& c, const EndpointRecord& ep, Table& t) {
    const std::string name = normalized(c.name);
    const std::string hostname = normalized(c.hostname);
    const std::string short_id = normalized(std::string_view(c.id).substr(0, 12));
    const std::string service = normalized(c.service);
    std::vector<std::string> aliases;
    for (const auto& a : ep.aliases) aliases.push_back(normalized(a));
    auto know = [&](const std::string& n) {
        if (!n.empty() && n.find('.') == std::string::npos) known_.insert(n);
    };
    for (const auto* n : {&name, &hostname, &short_id, &service}) know(*n);
    for (const auto& a : aliases) know(a);
    if (!c.running) return;

    auto add = [&](const std::string& key) {
        if (key.empty()) return;
        auto& entry = t.names[key];
        if (ep.ipv4) entry.v4.push_back(*ep.ipv4);
        if (ep.ipv6) entry.v6.push_back(*ep.ipv6);
    };
    // A container's own names follow it while it runs, healthy or not, so that one replica can
    // still be reached on purpose; the names replicas share (service, aliases) carry only those
    // fit to serve.
    for (const auto* n : {&name, &hostname, &short_id}) add(*n);
    if (answerable(c)) {
        add(service);
        for (const auto& a : aliases) add(a);
    }
    // Docker's PTR: the first name and the network, so the answer resolves forward too.
    for (const auto& ip : {ep.ipv4, ep.ipv6}) {
        if (ip) t.ptr.emplace(*ip, c.name + "." + t.name);
    }
}

}  // namespace berth::dns
