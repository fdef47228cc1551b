#include "forward_cache.hpp"

#include <algorithm>

#include "../wire_reader.hpp"

namespace berth::dns {

ForwardCache::ForwardCache(std::size_t max_entries, std::uint32_t max_ttl)
    : max_entries_(std::max<std::size_t>(max_entries, 1)), max_ttl_(max_ttl) {}

void ForwardCache::key(const Query& query, std::span<const Upstream> upstreams, std::string& out) {
    out.clear();
    Name lowered = query.question.name.lowered();
    auto wire = lowered.wire();
    out.append(reinterpret_cast<const char*>(wire.data()), wire.size());
    auto put16 = [&](std::uint16_t v) {
        out.push_back(static_cast<char>(v >> 8));
        out.push_back(static_cast<char>(v & 0xff));
    };
    put16(query.question.qtype);
    put16(query.question.qclass);
    out.push_back(static_cast<char>((query.edns.dnssec_ok ? 1 : 0) | (query.header.cd() ? 2 : 0)));
    for (const Upstream& u : upstreams) {
        out.append(reinterpret_cast<const char*>(u.address.bytes.data()), u.address.v6 ? 16 : 4);
        put16(u.port);
    }
}

std::optional<ForwardCache::Hit> ForwardCache::find(std::string_view key,
                                                    Clock::time_point now) const {
    auto it = entries_.find(key);
    if (it == entries_.end() || now >= it->second.expires) return std::nullopt;
    auto age = std::chrono::duration_cast<std::chrono::seconds>(now - it->second.stored);
    return Hit{it->second.reply, static_cast<std::uint32_t>(age.count())};
}

bool ForwardCache::insert(std::string_view key, std::span<const std::uint8_t> reply,
                          Clock::time_point now) {
    auto header = read_header(reply);
    if (!header || header->tc()) return false;
    auto rcode = static_cast<Rcode>(header->rcode());
    if (rcode != Rcode::NoError && rcode != Rcode::NXDomain) return false;
    auto ttl = min_ttl(reply);
    if (!ttl || *ttl == 0) return false;
    auto expires = now + std::chrono::seconds(std::min(*ttl, max_ttl_));

    auto it = entries_.find(key);
    if (it == entries_.end()) {
        make_room(now);
        it = entries_.emplace(std::string(key), Entry{}).first;
    }
    it->second.reply.assign(reply.begin(), reply.end());
    it->second.stored = now;
    it->second.expires = expires;
    it->second.seq = next_seq_++;
    order_.emplace_back(it->second.seq, it->first);
    return true;
}

void ForwardCache::make_room(Clock::time_point now) {
    while (entries_.size() >= max_entries_ && !order_.empty()) {
        auto [seq, key] = std::move(order_.front());
        order_.pop_front();
        auto it = entries_.find(key);
        // A stale queue entry (the key was stored again since) is skipped.
        if (it != entries_.end() && it->second.seq == seq) entries_.erase(it);
    }
    // Keeps the queue from growing with keys stored again and again.
    while (!order_.empty()) {
        auto it = entries_.find(order_.front().second);
        bool stale = it == entries_.end() || it->second.seq != order_.front().first;
        bool expired = !stale && now >= it->second.expires;
        if (!stale && !expired) break;
        if (expired) entries_.erase(it);
        order_.pop_front();
    }
}

void age_ttls(std::span<std::uint8_t> reply, std::uint32_t seconds) {
    if (seconds == 0 || reply.size() < kHeaderSize) return;
    Header h = detail::read_header(reply);
    detail::Reader r{reply, kHeaderSize};
    Name name;
    const char* reason = nullptr;
    for (std::size_t i = 0; i < h.qdcount; ++i) {
        if (!detail::read_name(r, name, reason) || !r.skip(4)) return;
    }
    std::size_t records = std::size_t{h.ancount} + h.nscount + h.arcount;
    for (std::size_t i = 0; i < records; ++i) {
        detail::Record rec;
        if (!detail::read_record(r, name, rec, reason)) return;
        if (rec.type == static_cast<std::uint16_t>(Type::OPT)) continue;  // its TTL holds flags
        std::uint32_t ttl = (rec.ttl & 0x80000000u) ? 0 : rec.ttl;
        ttl = ttl > seconds ? ttl - seconds : 0;
        // The TTL is the 4 bytes before RDLENGTH, which precedes the RDATA.
        std::size_t at = rec.rdata - 6;
        reply[at] = static_cast<std::uint8_t>(ttl >> 24);
        reply[at + 1] = static_cast<std::uint8_t>(ttl >> 16);
        reply[at + 2] = static_cast<std::uint8_t>(ttl >> 8);
        reply[at + 3] = static_cast<std::uint8_t>(ttl);
    }
}

}  // namespace berth::dns
