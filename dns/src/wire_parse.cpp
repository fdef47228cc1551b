// Reading messages: queries from containers (untrusted), and the forwarder's checks on replies
// from upstream servers (untrusted too: they may be spoofed or mangled).
#include <algorithm>

#include "wire_reader.hpp"

namespace berth::dns {

using detail::Reader;
using detail::Record;

namespace {

// The smallest possible record: a root owner (1), type, class, TTL, RDLENGTH (10).
constexpr std::size_t kMinRecordSize = 11;

QueryParse fail(QueryParse& p, ParseStatus status, const char* reason) {
    p.status = status;
    p.reason = reason;
    return p;
}

void read_opt(const Record& rec, Edns& edns) {
    edns.present = true;
    // A requestor's size below 512 is treated as 512 (RFC 6891 6.2.5).
    edns.udp_size = std::max<std::uint16_t>(rec.klass, kUdpPlainLimit);
    edns.version = static_cast<std::uint8_t>(rec.ttl >> 16);
    edns.dnssec_ok = rec.ttl & 0x8000;
}

// Steps over `count` questions; false if they do not fit.
bool skip_questions(Reader& r, std::uint16_t count) {
    Name name;
    const char* reason = nullptr;
    for (std::uint16_t i = 0; i < count; ++i) {
        if (!detail::read_name(r, name, reason) || !r.skip(4)) return false;
    }
    return true;
}

}  // namespace

QueryParse parse_query(std::span<const std::uint8_t> packet) {
    QueryParse p;
    if (packet.size() < kHeaderSize) return fail(p, ParseStatus::Drop, "shorter than a header");
    Header& h = p.query.header;
    h = detail::read_header(packet);
    if (h.qr()) return fail(p, ParseStatus::Drop, "a response, not a query");
    if (h.opcode() != 0) return fail(p, ParseStatus::NotImp, "opcode is not QUERY");
    if (h.qdcount != 1) return fail(p, ParseStatus::FormErr, "QDCOUNT is not 1");

    Reader r{packet, kHeaderSize};
    const char* reason = nullptr;
    Question& q = p.query.question;
    if (!detail::read_name(r, q.name, reason)) return fail(p, ParseStatus::FormErr, reason);
    if (!r.u16(q.qtype) || !r.u16(q.qclass)) {
        return fail(p, ParseStatus::FormErr, "question runs past the end of the message");
    }
    if (q.type() == Type::OPT) return fail(p, ParseStatus::FormErr, "OPT as the question type");

    // Checked up front so that absurd counts cost nothing.
    std::size_t records = std::size_t{h.ancount} + h.nscount + h.arcount;
    if (records * kMinRecordSize > r.remaining()) {
        return fail(p, ParseStatus::FormErr, "record counts exceed the message");
    }
    Name owner;
    Record rec;
    for (std::size_t i = 0; i < records; ++i) {
        if (!detail::read_record(r, owner, rec, reason)) {
            return fail(p, ParseStatus::FormErr, reason);
        }
        if (rec.type != static_cast<std::uint16_t>(Type::OPT)) continue;
        // RFC 6891 6.1.1: one OPT at most, in the additional section, owned by the root.
        if (i < std::size_t{h.ancount} + h.nscount) {
            return fail(p, ParseStatus::FormErr, "OPT record outside the additional section");
        }
        if (p.query.edns.present) return fail(p, ParseStatus::FormErr, "more than one OPT record");
        if (!owner.is_root())
            return fail(p, ParseStatus::FormErr, "OPT record not owned by the root");
        read_opt(rec, p.query.edns);
    }
    if (r.remaining() != 0) return fail(p, ParseStatus::FormErr, "bytes after the last record");
    p.status = ParseStatus::Ok;
    p.reason = {};
    return p;
}

std::optional<Header> read_header(std::span<const std::uint8_t> message) {
    if (message.size() < kHeaderSize) return std::nullopt;
    return detail::read_header(message);
}

std::optional<std::uint16_t> read_id(std::span<const std::uint8_t> message) {
    if (message.size() < kHeaderSize) return std::nullopt;
    return static_cast<std::uint16_t>((message[0] << 8) | message[1]);
}

bool write_id(std::span<std::uint8_t> message, std::uint16_t id) {
    if (message.size() < kHeaderSize) return false;
    message[0] = static_cast<std::uint8_t>(id >> 8);
    message[1] = static_cast<std::uint8_t>(id);
    return true;
}

bool reply_matches(std::span<const std::uint8_t> reply, std::uint16_t id,
                   const Question& question) {
    if (reply.size() < kHeaderSize) return false;
    Header h = detail::read_header(reply);
    if (h.id != id || !h.qr() || h.opcode() != 0 || h.qdcount != 1) return false;
    Reader r{reply, kHeaderSize};
    Name name;
    const char* reason = nullptr;
    std::uint16_t qtype = 0;
    std::uint16_t qclass = 0;
    if (!detail::read_name(r, name, reason) || !r.u16(qtype) || !r.u16(qclass)) return false;
    return qtype == question.qtype && qclass == question.qclass && name.equals(question.name);
}

std::optional<std::uint32_t> min_ttl(std::span<const std::uint8_t> reply) {
    if (reply.size() < kHeaderSize) return std::nullopt;
    Header h = detail::read_header(reply);
    Reader r{reply, kHeaderSize};
    if (!skip_questions(r, h.qdcount)) return std::nullopt;
    std::optional<std::uint32_t> best;
    Name owner;
    Record rec;
    const char* reason = nullptr;
    std::size_t records = std::size_t{h.ancount} + h.nscount;
    for (std::size_t i = 0; i < records; ++i) {
        if (!detail::read_record(r, owner, rec, reason)) return std::nullopt;
        if (rec.type == static_cast<std::uint16_t>(Type::OPT)) continue;
        // RFC 2181 8: a TTL with the top bit set is read as zero.
        std::uint32_t ttl = (rec.ttl & 0x80000000u) ? 0 : rec.ttl;
        // A negative answer is cached for min(SOA TTL, SOA MINIMUM), the last RDATA field.
        if (rec.type == static_cast<std::uint16_t>(Type::SOA) && rec.rdlength >= 22) {
            Reader m{reply, rec.rdata + rec.rdlength - 4};
            std::uint32_t minimum = 0;
            if (m.u32(minimum)) ttl = std::min(ttl, (minimum & 0x80000000u) ? 0 : minimum);
        }
        best = best ? std::min(*best, ttl) : ttl;
    }
    return best;
}

std::size_t truncate_reply(std::span<std::uint8_t> reply, std::size_t limit) {
    if (reply.size() <= limit) return reply.size();
    if (reply.size() < kHeaderSize) return 0;
    Header h = detail::read_header(reply);
    Reader r{reply, kHeaderSize};
    if (!skip_questions(r, h.qdcount) || r.pos > limit) return 0;
    reply[2] |= 0x02;  // TC
    std::fill(reply.begin() + 6, reply.begin() + kHeaderSize, std::uint8_t{0});
    return r.pos;
}

}  // namespace berth::dns
