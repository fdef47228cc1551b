// Writing responses into a caller's buffer, with name compression and truncation.
#include <algorithm>

#include "dns/wire.hpp"

namespace berth::dns {

namespace {

constexpr std::size_t kOptSize = 11;               // root owner, type, class, TTL, RDLENGTH 0
constexpr std::size_t kMaxPointerTarget = 0x3fff;  // 14 bits of offset

std::uint8_t fold(std::uint8_t c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<std::uint8_t>(c + ('a' - 'A')) : c;
}

void store16(std::span<std::uint8_t> buf, std::size_t at, std::uint16_t v) {
    buf[at] = static_cast<std::uint8_t>(v >> 8);
    buf[at + 1] = static_cast<std::uint8_t>(v);
}

std::uint16_t response_flags(const Header& query, Rcode rcode, ResponseFlags flags) {
    std::uint16_t f = 0x8000;  // QR
    f |= static_cast<std::uint16_t>(query.opcode() & 0x0f) << 11;
    if (flags.authoritative) f |= 0x0400;
    f |= query.flags & 0x0100;  // RD is copied (RFC 1035 4.1.1)
    if (flags.recursion_available) f |= 0x0080;
    f |= query.flags & 0x0010;  // CD is copied (RFC 4035 3.1.6)
    f |= static_cast<std::uint16_t>(rcode) & 0x0f;
    return f;
}

}  // namespace

std::size_t response_limit(const Query& query, Transport transport) {
    if (transport == Transport::Tcp) return kTcpLimit;
    if (!query.edns.present) return kUdpPlainLimit;
    return std::clamp<std::size_t>(query.edns.udp_size, kUdpPlainLimit, kUdpEdnsLimit);
}

ResponseBuilder::ResponseBuilder(std::span<std::uint8_t> buffer, std::size_t limit)
    : buf_(buffer), capacity_(std::min({limit, buffer.size(), kTcpLimit})) {}

bool ResponseBuilder::start(const Query& query, Rcode rcode, ResponseFlags flags) {
    edns_ = query.edns;
    pos_ = 0;
    ancount_ = 0;
    suffix_count_ = 0;
    truncated_ = false;
    started_ = false;
    set_rcode(rcode);
    // The OPT record is written last but its room is kept from the start, so answers can never
    // crowd it out.
    limit_ = capacity_;
    if (edns_.present) {
        if (limit_ < kOptSize) return false;
        limit_ -= kOptSize;
    }
    if (limit_ < kHeaderSize) return false;
    store16(buf_, 0, query.header.id);
    store16(buf_, 2, response_flags(query.header, static_cast<Rcode>(rcode_), flags));
    pos_ = kHeaderSize;
    const Question& q = query.question;
    if (!write_name(q.name) || !put16(q.qtype) || !put16(q.qclass)) return false;
    question_end_ = pos_;
    question_suffixes_ = suffix_count_;
    started_ = true;
    return true;
}

void ResponseBuilder::set_rcode(Rcode rcode) {
    rcode_ = static_cast<std::uint16_t>(rcode);
    // An extended rcode cannot be said without an OPT record; its low bits alone would mean
    // something else (BADVERS would read as NOERROR).
    if (rcode_ > 0x0f && !edns_.present) rcode_ = static_cast<std::uint16_t>(Rcode::FormErr);
}

bool ResponseBuilder::add_a(const Name& owner, std::uint32_t ttl,
                            const std::array<std::uint8_t, 4>& address) {
    return add_record(owner, Type::A, ttl, address, nullptr);
}

bool ResponseBuilder::add_aaaa(const Name& owner, std::uint32_t ttl,
                               const std::array<std::uint8_t, 16>& address) {
    return add_record(owner, Type::AAAA, ttl, address, nullptr);
}

bool ResponseBuilder::add_address(const Name& owner, std::uint32_t ttl, const IpAddress& address) {
    if (address.v6) return add_aaaa(owner, ttl, address.bytes);
    return add_record(owner, Type::A, ttl, std::span(address.bytes).first<4>(), nullptr);
}

bool ResponseBuilder::add_ptr(const Name& owner, std::uint32_t ttl, const Name& target) {
    return add_record(owner, Type::PTR, ttl, {}, &target);
}

bool ResponseBuilder::add_cname(const Name& owner, std::uint32_t ttl, const Name& target) {
    return add_record(owner, Type::CNAME, ttl, {}, &target);
}

bool ResponseBuilder::add_record(const Name& owner, Type type, std::uint32_t ttl,
                                 std::span<const std::uint8_t> rdata, const Name* rdata_name) {
    if (!started_ || truncated_) return false;
    if (ancount_ == 0xffff) return false;
    std::size_t rdlength_at = 0;
    bool ok = write_name(owner) && put16(static_cast<std::uint16_t>(type)) && put16(kClassIN) &&
              put32(ttl);
    if (ok) {
        rdlength_at = pos_;
        ok = put16(0) && (rdata_name ? write_name(*rdata_name) : put(rdata));
    }
    if (!ok) {
        truncate();
        return false;
    }
    store16(buf_, rdlength_at, static_cast<std::uint16_t>(pos_ - rdlength_at - 2));
    ++ancount_;
    return true;
}

// RFC 2181 9: a partial RRset must not be used, and a client seeing TC retries over TCP anyway,
// so all answers go rather than the ones that did not fit.
void ResponseBuilder::truncate() {
    pos_ = question_end_;
    suffix_count_ = question_suffixes_;
    ancount_ = 0;
    truncated_ = true;
}

std::size_t ResponseBuilder::finish() {
    if (!started_) return 0;
    std::uint16_t flags = static_cast<std::uint16_t>((buf_[2] << 8) | buf_[3]);
    flags = static_cast<std::uint16_t>((flags & ~0x020f) | (rcode_ & 0x0f));
    if (truncated_) flags |= 0x0200;
    store16(buf_, 2, flags);
    store16(buf_, 4, 1);
    store16(buf_, 6, ancount_);
    store16(buf_, 8, 0);
    store16(buf_, 10, edns_.present ? 1 : 0);
    if (edns_.present) {
        // Room was kept in start(): write past limit_ on purpose.
        std::size_t at = pos_;
        buf_[at] = 0;
        store16(buf_, at + 1, static_cast<std::uint16_t>(Type::OPT));
        store16(buf_, at + 3, static_cast<std::uint16_t>(kUdpEdnsLimit));
        // TTL: extended RCODE (upper 8 of 12 bits), version 0, DO echoed (RFC 3225 3).
        buf_[at + 5] = static_cast<std::uint8_t>(rcode_ >> 4);
        buf_[at + 6] = 0;
        buf_[at + 7] = edns_.dnssec_ok ? 0x80 : 0;
        buf_[at + 8] = 0;
        store16(buf_, at + 9, 0);
        pos_ = at + kOptSize;
    }
    started_ = false;  // finish() once: a second call would append a second OPT
    return pos_;
}

bool ResponseBuilder::put(std::span<const std::uint8_t> bytes) {
    if (pos_ + bytes.size() > limit_) return false;
    std::copy(bytes.begin(), bytes.end(), buf_.begin() + static_cast<std::ptrdiff_t>(pos_));
    pos_ += bytes.size();
    return true;
}

bool ResponseBuilder::put16(std::uint16_t v) {
    const std::uint8_t b[2] = {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
    return put(b);
}

bool ResponseBuilder::put32(std::uint32_t v) {
    return put16(static_cast<std::uint16_t>(v >> 16)) && put16(static_cast<std::uint16_t>(v));
}

bool ResponseBuilder::write_name(const Name& name) {
    // The labels written here become compression targets only once the whole name is written:
    // matching against a half-written name would read past the end of the message.
    std::array<std::uint16_t, kMaxLabels> written{};
    std::size_t count = 0;
    bool ok = true;
    std::size_t i = 0;
    for (; i < name.label_count(); ++i) {
        if (auto at = find_suffix(name, i)) {
            ok = put16(static_cast<std::uint16_t>(0xc000 | *at));
            break;
        }
        if (pos_ <= kMaxPointerTarget) written[count++] = static_cast<std::uint16_t>(pos_);
        std::string_view label = name.label(i);
        const std::uint8_t len = static_cast<std::uint8_t>(label.size());
        if (!put({&len, 1}) ||
            !put({reinterpret_cast<const std::uint8_t*>(label.data()), label.size()})) {
            return false;
        }
    }
    if (i == name.label_count()) {
        const std::uint8_t root = 0;
        ok = put({&root, 1});
    }
    if (!ok) return false;
    for (std::size_t k = 0; k < count && suffix_count_ < suffixes_.size(); ++k) {
        suffixes_[suffix_count_++] = Suffix{written[k]};
    }
    return true;
}

std::optional<std::uint16_t> ResponseBuilder::find_suffix(const Name& name,
                                                          std::size_t first_label) const {
    for (std::size_t i = 0; i < suffix_count_; ++i) {
        if (suffix_at(suffixes_[i].offset, name, first_label)) return suffixes_[i].offset;
    }
    return std::nullopt;
}

// Compares the name written at `offset` (ours, so its pointers are sound) with the labels of
// `name` from `first_label` on, ignoring ASCII case.
bool ResponseBuilder::suffix_at(std::uint16_t offset, const Name& name,
                                std::size_t first_label) const {
    std::size_t p = offset;
    for (std::size_t i = first_label; i < name.label_count(); ++i) {
        while ((buf_[p] & 0xc0) == 0xc0) p = ((buf_[p] & 0x3fu) << 8) | buf_[p + 1];
        std::string_view label = name.label(i);
        if (buf_[p] != label.size()) return false;
        for (std::size_t k = 0; k < label.size(); ++k) {
            if (fold(buf_[p + 1 + k]) != fold(static_cast<std::uint8_t>(label[k]))) return false;
        }
        p += 1 + label.size();
    }
    while ((buf_[p] & 0xc0) == 0xc0) p = ((buf_[p] & 0x3fu) << 8) | buf_[p + 1];
    return buf_[p] == 0;
}

std::size_t build_header_only(const Header& query_header, Rcode rcode,
                              std::span<std::uint8_t> out) {
    if (out.size() < kHeaderSize) return 0;
    store16(out, 0, query_header.id);
    store16(out, 2, response_flags(query_header, rcode, ResponseFlags{false, true}));
    std::fill(out.begin() + 4, out.begin() + kHeaderSize, std::uint8_t{0});
    return kHeaderSize;
}

}  // namespace berth::dns
