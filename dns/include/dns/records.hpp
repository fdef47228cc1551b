// The embedded resolver's records: an immutable snapshot of which names each bridge network
// answers, built from berth's own state, and the lookup that answers one question from the view
// of the asking container. Pure: no I/O, no threads (RecordStore in record_store.hpp swaps
// snapshots). Behaviour and choices: docs/dns.md, "Records".
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "network/address.hpp"

namespace berth::dns {

using network::Address;

// A service's containers carry this label; "false" keeps unhealthy replicas in the service's
// answers (health-aware answers are on by default).
inline constexpr std::string_view kHealthAwareLabel = "berth.dns.health-aware";

// The label's value as Go's strconv.ParseBool reads it (1 t T TRUE true True, 0 f F FALSE false
// False), since compose users write labels for Docker tooling too.
Result<bool> parse_health_aware(std::string_view value);

// What the daemon knows of a network.
struct NetworkRecord {
    std::string id;
    std::string name;  // e.g. "myproj_default": the suffix of "<name>.<network>" queries
    bool internal = false;
    std::vector<network::Prefix> subnets;
};

// A container's attachment to one network. Aliases and links are seen only on this network.
struct EndpointRecord {
    std::string network_id;
    std::optional<Address> ipv4;
    std::optional<Address> ipv6;
    std::vector<std::string> aliases;
    // compose `links: [target:alias]`: the alias is a name only this container resolves, to
    // whatever `target` (a service or container name) resolves to on this network.
    std::vector<std::pair<std::string, std::string>> links;  // {alias, target}
};

// What the daemon knows of a container, whatever its state.
struct ContainerRecord {
    std::string id;  // the full hex id; its first 12 characters are a name
    std::string name;
    std::string hostname;
    std::string service;
    std::string project;                    // informational: names are network-wide, as in Docker
    std::vector<EndpointRecord> endpoints;  // highest priority first: earlier networks win
    bool running = false;
    bool has_healthcheck = false;
    bool healthy = false;
    bool health_aware = true;  // from kHealthAwareLabel
};

enum class QueryType { A, AAAA, PTR, Other };

enum class Status {
    Found,     // addresses (A/AAAA) or ptr (PTR) hold the answer
    NoData,    // the name is ours but has no record of that type: NOERROR, no answers
    NxDomain,  // ours, and does not exist for this asker: never forwarded
    Forward,   // not ours: ask the upstream servers
    Refused,   // the source address is no container's: answer REFUSED, never forward
};

struct Answer {
    Status status = Status::Refused;
    std::vector<Address> addresses;  // shuffled by the caller's seed
    std::string ptr;                 // PTR: the name, without the trailing dot
};

// Hash maps keyed by lower-cased names, looked up with a string_view (no allocation).
struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};
struct AddressHash {
    std::size_t operator()(const Address& a) const noexcept;
};
template <typename V>
using NameMap = std::unordered_map<std::string, V, NameHash, std::equal_to<>>;
using NameSet = std::unordered_set<std::string, NameHash, std::equal_to<>>;

class Snapshot {
  public:
    // An empty snapshot: every source is refused.
    Snapshot() = default;

    // Refuses a container on an unknown network or two networks with the same id, naming them,
    // so a bad state is noticed and the previous snapshot kept.
    static Result<Snapshot> build(const std::vector<NetworkRecord>& networks,
                                  const std::vector<ContainerRecord>& containers);

    // (network, name) pairs that have at least one address.
    std::size_t name_count() const;
    std::size_t network_count() const { return tables_.size(); }
    // The names the network answers and their addresses (IPv4 first), sorted by name: what a
    // debugging view shows. Empty for an unknown network.
    std::vector<std::pair<std::string, std::vector<Address>>> table(
        std::string_view network_name) const;

  private:
    friend void lookup(const Snapshot&, const Address&, std::string_view, QueryType, std::uint64_t,
                       Answer&);

    struct Addresses {
        std::vector<Address> v4;
        std::vector<Address> v6;
    };
    struct Table {
        std::string name;  // lower-cased
        bool internal = false;
        std::vector<network::Prefix> subnets;
        NameMap<Addresses> names;
        std::unordered_map<Address, std::string, AddressHash> ptr;
    };
    struct Attachment {
        std::uint32_t table = 0;
        NameMap<std::string> links;  // lower-cased alias → lower-cased target
    };
    struct Asker {
        std::vector<Attachment> attachments;
        bool all_internal = false;
    };

    Result<void> add_container(const ContainerRecord& c, const NameMap<std::uint32_t>& table_by_id);
    void add_endpoint(const ContainerRecord& c, const EndpointRecord& ep, Table& t);
    Status not_found(const Asker& asker, std::string_view key) const;
    void answer_reverse(const Asker& asker, std::string_view key, Answer& out) const;
    void answer_name(const Asker& asker, std::string_view key, QueryType type, std::uint64_t seed,
                     Answer& out) const;

    std::vector<Table> tables_;
    NameMap<std::uint32_t> table_by_name_;
    std::vector<Asker> askers_;
    std::unordered_map<Address, std::uint32_t, AddressHash> askers_by_source_;
    NameSet known_;  // every single-label name on every network, answerable or not
};

// Answers `name` (any case, trailing dot or not) for the container that owns `source`, from the
// networks it is attached to. `seed` drives the shuffle, so equal seeds give equal orders. `out`
// is reused: its vector and string keep their capacity, so a server that keeps one Answer per
// thread allocates nothing per query.
void lookup(const Snapshot& snapshot, const Address& source, std::string_view name, QueryType type,
            std::uint64_t seed, Answer& out);
Answer lookup(const Snapshot& snapshot, const Address& source, std::string_view name,
              QueryType type, std::uint64_t seed);

}  // namespace berth::dns
