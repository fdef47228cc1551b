// Forwarded answers kept for their TTL, so a container that asks the same name again does not
// wait on an upstream. Bounded: past `max_entries` the oldest insertions go first. Pure (the
// caller passes the time), so it is tested without a clock.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dns/records.hpp"
#include "dns/server.hpp"
#include "dns/wire.hpp"

namespace berth::dns {

class ForwardCache {
  public:
    using Clock = std::chrono::steady_clock;

    ForwardCache(std::size_t max_entries, std::uint32_t max_ttl);

    // What makes two queries share an answer: the name without case, type, class, the DO and CD
    // bits, and the upstream servers asked (containers may have `dns:` servers of their own).
    static void key(const Query& query, std::span<const Upstream> upstreams, std::string& out);

    struct Hit {
        std::span<const std::uint8_t>
            reply;              // as the upstream sent it: the first asker's id and case
        std::uint32_t age = 0;  // whole seconds since it was stored
    };
    // The reply stored under `key`, if it has not expired.
    std::optional<Hit> find(std::string_view key, Clock::time_point now) const;

    // Keeps a NOERROR or NXDOMAIN reply, untruncated and with a TTL (min_ttl) above 0; anything
    // else is not stored. Returns whether it was stored.
    bool insert(std::string_view key, std::span<const std::uint8_t> reply, Clock::time_point now);

    std::size_t size() const { return entries_.size(); }

  private:
    struct Entry {
        std::vector<std::uint8_t> reply;
        Clock::time_point stored;
        Clock::time_point expires;
        std::uint64_t seq = 0;
    };
    void make_room(Clock::time_point now);

    std::size_t max_entries_;
    std::uint32_t max_ttl_;
    std::uint64_t next_seq_ = 0;
    std::unordered_map<std::string, Entry, NameHash, std::equal_to<>> entries_;
    std::deque<std::pair<std::uint64_t, std::string>> order_;  // insertions, oldest first
};

// Counts the TTLs of a reply's records (all but OPT) down by `seconds`, stopping at 0, so a cached
// reply does not promise more time than it has left. A malformed reply is left as far as it reads.
void age_ttls(std::span<std::uint8_t> reply, std::uint32_t seconds);

}  // namespace berth::dns
