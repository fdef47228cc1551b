// The DNS wire codec of the embedded resolver (RFC 1035, EDNS0 from RFC 6891): strict parsing of
// queries from untrusted containers, responses built into the caller's buffer, the few reads a
// forwarder needs on upstream replies, and TCP's 2-byte framing. Pure: no sockets, no clock, and
// no heap allocation on the query path (names live in fixed-size buffers).
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace berth::dns {

inline constexpr std::size_t kHeaderSize = 12;
inline constexpr std::size_t kMaxLabel = 63;      // RFC 1035 2.3.4
inline constexpr std::size_t kMaxNameWire = 255;  // wire bytes, root label included
inline constexpr std::size_t kMaxLabels = 127;    // 127 one-byte labels fill 255 bytes
inline constexpr std::size_t kMaxPointerHops = 127;
inline constexpr std::size_t kUdpPlainLimit = 512;  // RFC 1035 4.2.1, without EDNS0
// The DNS flag day 2020 figure: fits a 1280-byte IPv6 MTU without fragmentation.
inline constexpr std::size_t kUdpEdnsLimit = 1232;
inline constexpr std::size_t kTcpLimit = 65535;

enum class Type : std::uint16_t {
    A = 1,
    NS = 2,
    CNAME = 5,
    SOA = 6,
    PTR = 12,
    MX = 15,
    TXT = 16,
    AAAA = 28,
    SRV = 33,
    OPT = 41,
    AXFR = 252,
    ANY = 255,
};

inline constexpr std::uint16_t kClassIN = 1;

// Values above 15 need an OPT record to carry their upper 8 bits (RFC 6891 6.1.3).
enum class Rcode : std::uint16_t {
    NoError = 0,
    FormErr = 1,
    ServFail = 2,
    NXDomain = 3,
    NotImp = 4,
    Refused = 5,
    BadVers = 16,
};

// ---- names ----------------------------------------------------------------------------------

// A domain name in uncompressed wire form (length-prefixed labels ending with the root's zero),
// kept in a fixed buffer so a parsed query needs no allocation. The original case is kept: a
// reply must echo the question exactly (resolvers randomise case as an anti-spoofing measure).
class Name {
  public:
    Name() = default;  // the root, "."

    std::span<const std::uint8_t> wire() const { return {wire_.data(), size_}; }
    std::size_t wire_size() const { return size_; }
    std::size_t label_count() const { return labels_; }
    std::string_view label(std::size_t i) const;
    bool is_root() const { return labels_ == 0; }

    // Appends a label before the root; false (and no change) if it is empty, longer than 63
    // bytes, or the name would pass 255 wire bytes.
    bool append_label(std::string_view label);
    void clear() { *this = Name(); }

    // ASCII case folding only: DNS compares names case-insensitively in ASCII (RFC 4343).
    bool equals(const Name& other) const;
    // True when `suffix` is this name or one of its ancestors ("demo_default." of
    // "web.demo_default.").
    bool ends_with(const Name& suffix) const;
    Name lowered() const;

  private:
    std::array<std::uint8_t, kMaxNameWire> wire_{0};
    std::array<std::uint8_t, kMaxLabels> offsets_{};  // where each label's length byte is
    std::uint8_t size_ = 1;
    std::uint8_t labels_ = 0;
};

// Presentation form -> Name: "web.demo_default." or without the final dot; "." or "" is the root.
// `\.`, `\\` and `\DDD` escapes are understood; empty labels, labels over 63 bytes and names over
// 255 wire bytes are errors.
Result<Name> parse_name(std::string_view text);
// Name -> presentation form, always with the final dot; '.', '\\' and non-printable bytes escaped.
std::string to_string(const Name& name);
std::string to_lower_ascii(std::string_view text);

// ---- reverse names (PTR) ------------------------------------------------------------------

struct IpAddress {
    bool v6 = false;
    std::array<std::uint8_t, 16> bytes{};  // IPv4 uses the first 4

    static IpAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d);
    auto operator<=>(const IpAddress&) const = default;
};

// "2.0.17.172.in-addr.arpa." -> 172.17.0.2; 32 nibble labels + "ip6.arpa." -> an IPv6 address.
// Case-insensitive. Anything else (a partial zone such as "17.172.in-addr.arpa.", leading zeros,
// a value over 255, a nibble that is not one hex digit) is not an address: nullopt.
std::optional<IpAddress> parse_reverse_name(const Name& name);
Name reverse_name(const IpAddress& address);

// ---- parsed query -----------------------------------------------------------------------------

struct Header {
    std::uint16_t id = 0;
    std::uint16_t flags = 0;
    std::uint16_t qdcount = 0;
    std::uint16_t ancount = 0;
    std::uint16_t nscount = 0;
    std::uint16_t arcount = 0;

    bool qr() const { return flags & 0x8000; }
    std::uint8_t opcode() const { return (flags >> 11) & 0x0f; }
    bool aa() const { return flags & 0x0400; }
    bool tc() const { return flags & 0x0200; }
    bool rd() const { return flags & 0x0100; }
    bool ra() const { return flags & 0x0080; }
    bool cd() const { return flags & 0x0010; }
    std::uint8_t rcode() const { return flags & 0x0f; }
};

struct Question {
    Name name;
    std::uint16_t qtype = 0;
    std::uint16_t qclass = 0;

    Type type() const { return static_cast<Type>(qtype); }
};

// The EDNS0 OPT pseudo-record of a query, if it had one.
struct Edns {
    bool present = false;
    std::uint16_t udp_size = 0;  // as advertised, raised to 512 (RFC 6891 6.2.5)
    std::uint8_t version = 0;    // anything but 0 deserves BADVERS
    bool dnssec_ok = false;      // the DO bit, echoed in the reply (RFC 3225 3)
};

struct Query {
    Header header;
    Question question;
    Edns edns;
};

enum class ParseStatus : std::uint8_t {
    Ok,
    Drop,     // not even a header, or a response: answering could feed a loop, so stay silent
    FormErr,  // the header is sound (query.header is filled in) but the body is not
    NotImp,   // an opcode other than QUERY (query.header is filled in)
};

struct QueryParse {
    ParseStatus status = ParseStatus::Drop;
    std::string_view reason;  // static text for debug logs, e.g. "label longer than 63 bytes"
    Query query;

    bool ok() const { return status == ParseStatus::Ok; }
};

// Parses a query as a server receives it. QDCOUNT must be 1; answer and authority records are
// skipped over (bounds checked), the additional section is searched for one OPT record. Trailing
// bytes after the last record are a FORMERR. Never reads outside `packet`, and the work is
// bounded by its size (compression pointers must point strictly backwards, at most 127 hops).
QueryParse parse_query(std::span<const std::uint8_t> packet);

// ---- responses --------------------------------------------------------------------------------

enum class Transport : std::uint8_t { Udp, Tcp };

// The largest reply the client accepts: 512 on UDP without EDNS0, the advertised size clamped to
// [512, 1232] with it; 65535 on TCP.
std::size_t response_limit(const Query& query, Transport transport);

struct ResponseFlags {
    bool authoritative = true;        // AA: the names of our own networks
    bool recursion_available = true;  // RA: we forward what is not ours
};

// Writes a response into a caller's buffer: header, the echoed question, answers (with name
// compression), then an OPT record when the query had one. When an answer does not fit in the
// limit, every answer is dropped and TC is set, so the client retries over TCP instead of caching a
// partial set; later add_* calls are then ignored.
class ResponseBuilder {
  public:
    // limit: response_limit(); the buffer's size caps it too.
    ResponseBuilder(std::span<std::uint8_t> buffer, std::size_t limit);

    // Starts the reply to `query`: id, opcode, RD and CD copied; QR set. False if even the header,
    // question and OPT record do not fit (the buffer is too small to be useful). A builder may be
    // started again for another reply. Rcodes above 15 (BADVERS) need the query to have had EDNS0;
    // without it they become FORMERR.
    bool start(const Query& query, Rcode rcode, ResponseFlags flags = {});

    bool add_a(const Name& owner, std::uint32_t ttl, const std::array<std::uint8_t, 4>& address);
    bool add_aaaa(const Name& owner, std::uint32_t ttl,
                  const std::array<std::uint8_t, 16>& address);
    bool add_address(const Name& owner, std::uint32_t ttl, const IpAddress& address);
    bool add_ptr(const Name& owner, std::uint32_t ttl, const Name& target);
    bool add_cname(const Name& owner, std::uint32_t ttl, const Name& target);
    // Changes the rcode after start(), e.g. to SERVFAIL when a lookup fails half-way.
    void set_rcode(Rcode rcode);

    // Writes the counts, TC and rcode into the header, appends the OPT record when the query had
    // one, and returns the message's size in bytes: 0 if start() failed or finish() already ran.
    std::size_t finish();

    bool truncated() const { return truncated_; }
    std::uint16_t answer_count() const { return ancount_; }

  private:
    struct Suffix {
        std::uint16_t offset;  // where a name (or its tail) starts in the message
    };

    bool add_record(const Name& owner, Type type, std::uint32_t ttl,
                    std::span<const std::uint8_t> rdata, const Name* rdata_name);
    bool write_name(const Name& name);
    std::optional<std::uint16_t> find_suffix(const Name& name, std::size_t first_label) const;
    bool suffix_at(std::uint16_t offset, const Name& name, std::size_t first_label) const;
    bool put(std::span<const std::uint8_t> bytes);
    bool put16(std::uint16_t v);
    bool put32(std::uint32_t v);
    void truncate();

    std::span<std::uint8_t> buf_;
    std::size_t capacity_ = 0;
    std::size_t limit_ = 0;  // for the header, question and answers: the OPT record's room is kept
    std::size_t pos_ = 0;
    std::size_t question_end_ = 0;
    std::size_t question_suffixes_ = 0;
    std::uint16_t ancount_ = 0;
    std::uint16_t rcode_ = 0;
    bool started_ = false;
    bool truncated_ = false;
    Edns edns_;
    std::array<Suffix, 64> suffixes_{};
    std::size_t suffix_count_ = 0;
};

// A header-only reply (no question) for a query whose body could not be read: FORMERR or NOTIMP
// with the query's id, opcode and RD. Returns the size written (12), or 0 if `out` is too small.
std::size_t build_header_only(const Header& query_header, Rcode rcode, std::span<std::uint8_t> out);

// ---- forwarding ---------------------------------------------------------------------------

// The header of any message (nullopt under 12 bytes): a forwarder reads an upstream's rcode
// to decide whether to try the next server (SERVFAIL, REFUSED).
std::optional<Header> read_header(std::span<const std::uint8_t> message);
std::optional<std::uint16_t> read_id(std::span<const std::uint8_t> message);
// Forwarders send upstream under a fresh id and put the client's back on the reply.
bool write_id(std::span<std::uint8_t> message, std::uint16_t id);

// True when `reply` is a response with this id whose single question is `question` (name
// case-insensitive, type and class equal): anything else is a stray or spoofed packet.
bool reply_matches(std::span<const std::uint8_t> reply, std::uint16_t id, const Question& question);

// How long a reply may be cached: the smallest TTL of its answer and authority records (for an
// SOA, also its MINIMUM field, RFC 2308 5). nullopt when the reply is malformed or has no record.
std::optional<std::uint32_t> min_ttl(std::span<const std::uint8_t> reply);

// An upstream reply too large for the client's limit, cut to its header and question with TC set
// (the client retries over TCP). Returns the new size; the reply unchanged if it fits; 0 when the
// reply cannot be parsed that far.
std::size_t truncate_reply(std::span<std::uint8_t> reply, std::size_t limit);

// ---- TCP framing (RFC 1035 4.2.2, RFC 7766) ---------------------------------------------------

struct Frame {
    std::size_t offset = 0;  // the message's first byte in the buffer (after its length prefix)
    std::size_t length = 0;
};

struct FrameScan {
    std::size_t count = 0;     // complete frames written to `frames`
    std::size_t consumed = 0;  // bytes those frames take, prefixes included: discard them after use
    std::size_t missing = 0;   // bytes still needed to complete the next frame (0: none started)
};

// Finds the complete length-prefixed messages at the start of a stream buffer, up to
// frames.size() of them. A zero length is a complete (empty) frame, which the parser drops.
FrameScan scan_frames(std::span<const std::uint8_t> buffer, std::span<Frame> frames);
// Writes the 2-byte prefix for a message of `length` bytes; false if length > 65535.
bool write_frame_prefix(std::span<std::uint8_t, 2> out, std::size_t length);

}  // namespace berth::dns
