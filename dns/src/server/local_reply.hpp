// The server's pure steps between a parsed query and the bytes it sends back: the name and type
// the record lookup wants, and the reply for an answer of our own. No sockets, so they are
// unit-tested on their own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "dns/records.hpp"
#include "dns/wire.hpp"

namespace berth::dns {

QueryType query_type(const Question& question);

// The question's name in the form lookup() reads ("web.demo_default", any case, no trailing dot),
// written into `out` (reused, so no allocation once warm). A label holding a dot or a backslash is
// escaped as to_string() does, so it can never match one of our names.
void lookup_name(const Name& name, std::string& out);

// The reply to a query whose answer is ours (Found, NoData, NxDomain, Refused): A/AAAA/PTR
// records with `ttl`, truncated with TC past the transport's limit. Returns the size, 0 when the
// buffer is too small.
std::size_t build_local_reply(const Query& query, const Answer& answer, Transport transport,
                              std::uint32_t ttl, std::span<std::uint8_t> out);

// A reply with no answer and this rcode (SERVFAIL, REFUSED, BADVERS): the question echoed.
std::size_t build_rcode_reply(const Query& query, Rcode rcode, Transport transport,
                              std::span<std::uint8_t> out);

}  // namespace berth::dns
