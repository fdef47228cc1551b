// Test-side DNS message writing and reading, written independently of dns/wire.hpp so the codec
// is checked against a second implementation rather than against itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace berth::dns::test {

using Bytes = std::vector<std::uint8_t>;

inline void put16(Bytes& b, unsigned v) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v));
}

inline void put32(Bytes& b, std::uint32_t v) {
    put16(b, v >> 16);
    put16(b, v & 0xffff);
}

// "a.b.c" (no escapes) as uncompressed wire labels.
inline void put_name(Bytes& b, const std::string& dotted) {
    std::size_t start = 0;
    while (start < dotted.size()) {
        std::size_t dot = dotted.find('.', start);
        if (dot == std::string::npos) dot = dotted.size();
        b.push_back(static_cast<std::uint8_t>(dot - start));
        b.insert(b.end(), dotted.begin() + static_cast<long>(start),
                 dotted.begin() + static_cast<long>(dot));
        start = dot + 1;
    }
    b.push_back(0);
}

inline void put_header(Bytes& b, unsigned id, unsigned flags, unsigned qd, unsigned an = 0,
                       unsigned ns = 0, unsigned ar = 0) {
    put16(b, id);
    put16(b, flags);
    put16(b, qd);
    put16(b, an);
    put16(b, ns);
    put16(b, ar);
}

struct OptSpec {
    unsigned udp_size = 1232;
    unsigned version = 0;
    bool dnssec_ok = false;
};

// A query as dig sends it: RD set, one question, optionally an OPT record.
inline Bytes make_query(const std::string& name, unsigned qtype, unsigned id = 0x1234,
                        std::optional<OptSpec> opt = std::nullopt, unsigned flags = 0x0100) {
    Bytes b;
    put_header(b, id, flags, 1, 0, 0, opt ? 1 : 0);
    put_name(b, name);
    put16(b, qtype);
    put16(b, 1);
    if (opt) {
        b.push_back(0);
        put16(b, 41);
        put16(b, opt->udp_size);
        put32(b, (opt->version << 16) | (opt->dnssec_ok ? 0x8000u : 0u));
        put16(b, 0);
    }
    return b;
}

struct DecodedRecord {
    std::string name;  // lower case as written, dotted with a final dot
    unsigned type = 0;
    unsigned klass = 0;
    std::uint32_t ttl = 0;
    Bytes rdata;
    std::string rdata_name;  // for PTR and CNAME
};

struct Decoded {
    unsigned id = 0;
    unsigned flags = 0;
    unsigned qd = 0, an = 0, ns = 0, ar = 0;
    std::string qname;
    unsigned qtype = 0, qclass = 0;
    std::vector<DecodedRecord> records;  // answer, authority, additional in order
    bool ok = false;
};

// Reads a name that may be compressed; trusts pointers only a bounded number of times.
inline std::optional<std::string> read_name(const Bytes& m, std::size_t& pos) {
    std::string out;
    std::size_t p = pos;
    bool jumped = false;
    for (int hops = 0; hops < 200; ++hops) {
        if (p >= m.size()) return std::nullopt;
        unsigned len = m[p];
        if (len == 0) {
            if (!jumped) pos = p + 1;
            return out.empty() ? "." : out;
        }
        if ((len & 0xc0) == 0xc0) {
            if (p + 1 >= m.size()) return std::nullopt;
            if (!jumped) pos = p + 2;
            jumped = true;
            p = ((len & 0x3f) << 8) | m[p + 1];
            continue;
        }
        if (p + 1 + len > m.size()) return std::nullopt;
        out.append(reinterpret_cast<const char*>(&m[p + 1]), len);
        out += '.';
        p += 1 + len;
    }
    return std::nullopt;
}

inline Decoded decode(const Bytes& m) {
    Decoded d;
    if (m.size() < 12) return d;
    auto at16 = [&](std::size_t i) { return unsigned(m[i] << 8 | m[i + 1]); };
    d.id = at16(0);
    d.flags = at16(2);
    d.qd = at16(4);
    d.an = at16(6);
    d.ns = at16(8);
    d.ar = at16(10);
    std::size_t pos = 12;
    if (d.qd == 1) {
        auto n = read_name(m, pos);
        if (!n || pos + 4 > m.size()) return d;
        d.qname = *n;
        d.qtype = at16(pos);
        d.qclass = at16(pos + 2);
        pos += 4;
    }
    for (unsigned i = 0; i < d.an + d.ns + d.ar; ++i) {
        DecodedRecord r;
        auto n = read_name(m, pos);
        if (!n || pos + 10 > m.size()) return d;
        r.name = *n;
        r.type = at16(pos);
        r.klass = at16(pos + 2);
        r.ttl = std::uint32_t(at16(pos + 4)) << 16 | at16(pos + 6);
        unsigned len = at16(pos + 8);
        pos += 10;
        if (pos + len > m.size()) return d;
        r.rdata.assign(m.begin() + static_cast<long>(pos),
                       m.begin() + static_cast<long>(pos + len));
        if (r.type == 12 || r.type == 5) {
            std::size_t rp = pos;
            auto target = read_name(m, rp);
            if (!target || rp != pos + len) return d;
            r.rdata_name = *target;
        }
        pos += len;
        d.records.push_back(r);
    }
    d.ok = pos == m.size();
    return d;
}

}  // namespace berth::dns::test
