// Bounds-checked reads, and name decompression that cannot loop.
#include "wire_reader.hpp"

namespace berth::dns::detail {

bool Reader::u16(std::uint16_t& v) {
    if (remaining() < 2) return false;
    v = static_cast<std::uint16_t>((msg[pos] << 8) | msg[pos + 1]);
    pos += 2;
    return true;
}

bool Reader::u32(std::uint32_t& v) {
    if (remaining() < 4) return false;
    v = (std::uint32_t{msg[pos]} << 24) | (std::uint32_t{msg[pos + 1]} << 16) |
        (std::uint32_t{msg[pos + 2]} << 8) | std::uint32_t{msg[pos + 3]};
    pos += 4;
    return true;
}

bool Reader::skip(std::size_t n) {
    if (remaining() < n) return false;
    pos += n;
    return true;
}

Header read_header(std::span<const std::uint8_t> msg) {
    auto at = [&](std::size_t i) { return static_cast<std::uint16_t>((msg[i] << 8) | msg[i + 1]); };
    return Header{at(0), at(2), at(4), at(6), at(8), at(10)};
}

bool read_name(Reader& r, Name& out, const char*& reason) {
    out.clear();
    const auto msg = r.msg;
    std::size_t p = r.pos;
    // Every pointer must land before the start of the run of labels that holds it, so the start
    // strictly decreases with each hop: no loop is possible, whatever the packet. The hop limit
    // only caps the work on long chains.
    std::size_t run_start = p;
    std::size_t hops = 0;
    bool jumped = false;
    for (;;) {
        if (p >= msg.size()) {
            reason = "name runs past the end of the message";
            return false;
        }
        std::uint8_t b = msg[p];
        if (b == 0) {
            if (!jumped) r.pos = p + 1;
            return true;
        }
        switch (b & 0xc0) {
            case 0xc0: {
                if (p + 1 >= msg.size()) {
                    reason = "compression pointer runs past the end of the message";
                    return false;
                }
                std::size_t target = (std::size_t{b & 0x3fu} << 8) | msg[p + 1];
                if (target < kHeaderSize) {
                    reason = "compression pointer into the header";
                    return false;
                }
                if (target >= run_start) {
                    reason = "compression pointer does not point backwards";
                    return false;
                }
                if (++hops > kMaxPointerHops) {
                    reason = "too many compression pointers";
                    return false;
                }
                if (!jumped) r.pos = p + 2;
                jumped = true;
                p = run_start = target;
                break;
            }
            case 0x00: {
                std::size_t len = b;
                if (p + 1 + len > msg.size()) {
                    reason = "label runs past the end of the message";
                    return false;
                }
                if (!out.append_label({reinterpret_cast<const char*>(msg.data() + p + 1), len})) {
                    reason = "name longer than 255 bytes";
                    return false;
                }
                p += 1 + len;
                break;
            }
            default:
                // 0x40 (extended labels, RFC 6891 5 deprecates them) and 0x80 are not used.
                reason = "unknown label type";
                return false;
        }
    }
}

bool read_record(Reader& r, Name& owner, Record& rec, const char*& reason) {
    if (!read_name(r, owner, reason)) return false;
    if (!r.u16(rec.type) || !r.u16(rec.klass) || !r.u32(rec.ttl) || !r.u16(rec.rdlength)) {
        reason = "record runs past the end of the message";
        return false;
    }
    rec.rdata = r.pos;
    if (!r.skip(rec.rdlength)) {
        reason = "record data runs past the end of the message";
        return false;
    }
    return true;
}

}  // namespace berth::dns::detail
