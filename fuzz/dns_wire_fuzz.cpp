// The DNS wire codec on arbitrary bytes, read both as a query from a container and as a reply
// from an upstream server: parsing must never read out of bounds or loop, and a parsed query must
// always give a reply that the forwarder's own readers accept.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "dns/wire.hpp"

using namespace berth::dns;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::span<const std::uint8_t> input(data, size);

    QueryParse p = parse_query(input);
    std::array<std::uint8_t, kUdpEdnsLimit> buf{};
    if (p.ok()) {
        ResponseBuilder rb(buf, response_limit(p.query, Transport::Udp));
        if (!rb.start(p.query, Rcode::NoError)) std::abort();
        rb.add_a(p.query.question.name, 0, {10, 0, 0, 1});
        rb.add_ptr(p.query.question.name, 0, p.query.question.name);
        std::span<const std::uint8_t> reply(buf.data(), rb.finish());
        if (!reply_matches(reply, p.query.header.id, p.query.question)) std::abort();
        (void)to_string(p.query.question.name);
        (void)parse_reverse_name(p.query.question.name);
    } else if (p.status != ParseStatus::Drop) {
        if (build_header_only(p.query.header, Rcode::FormErr, buf) != kHeaderSize) std::abort();
    }

    // The same bytes as an upstream reply.
    (void)min_ttl(input);
    (void)reply_matches(input, 1, p.query.question);
    std::vector<std::uint8_t> copy(input.begin(), input.end());
    if (truncate_reply(copy, kUdpPlainLimit) > copy.size()) std::abort();

    // And as a TCP stream.
    std::array<Frame, 8> frames{};
    FrameScan scan = scan_frames(input, frames);
    if (scan.consumed > size) std::abort();
    return 0;
}
