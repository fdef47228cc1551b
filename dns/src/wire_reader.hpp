// Bounds-checked reads over a received message, shared by the query parser and the forwarder's
// reply checks. Private to dns/src.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "dns/wire.hpp"

namespace berth::dns::detail {

struct Reader {
    std::span<const std::uint8_t> msg;
    std::size_t pos = 0;

    std::size_t remaining() const { return msg.size() - pos; }
    bool u16(std::uint16_t& v);
    bool u32(std::uint32_t& v);
    bool skip(std::size_t n);
};

Header read_header(std::span<const std::uint8_t> msg);  // msg has at least kHeaderSize bytes

// Reads a possibly compressed name at r.pos into `out` and moves r.pos past it (past the first
// pointer when there is one). On failure returns false with a static `reason`.
bool read_name(Reader& r, Name& out, const char*& reason);

struct Record {
    std::uint16_t type = 0;
    std::uint16_t klass = 0;
    std::uint32_t ttl = 0;
    std::size_t rdata = 0;  // offset of the RDATA in the message
    std::uint16_t rdlength = 0;
};

// Reads one resource record's fixed part and steps over its RDATA.
bool read_record(Reader& r, Name& owner, Record& rec, const char*& reason);

}  // namespace berth::dns::detail
